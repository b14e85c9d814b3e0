using System.Net;
using System.Net.Sockets;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples.Hardening;

/// <summary>
/// What the kernel says about an example run as a child process (Linux /proc), and the plain
/// blocking clients the reproductions of issue 12 drive it with.
/// </summary>
internal static class ChildProcessStats
{
    /// <summary>The resident set size of <paramref name="pid"/>, in KiB (VmRSS).</summary>
    public static long RssKiB(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim());
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no VmRSS line");
    }

    /// <summary>How many sockets <paramref name="pid"/> has open (its /proc/PID/fd links to socket:[...]).</summary>
    public static int Sockets(int pid)
    {
        var count = 0;
        foreach (var link in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                if (new FileInfo(link).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true) count++;
            }
            catch (IOException)
            {
                // Closed while we looked: not open any more.
            }
        }
        return count;
    }

    /// <summary>User plus system CPU time <paramref name="pid"/> has used so far.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // Fields 14 and 15 of /proc/PID/stat, counted after the ")" that ends the command name.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }

    /// <summary>A connected blocking TCP client whose calls give up after the test deadline.</summary>
    public static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)NetTesting.Deadline.TotalMilliseconds,
            SendTimeout = (int)NetTesting.Deadline.TotalMilliseconds,
        };
        socket.Connect(IPAddress.Loopback, port);
        return socket;
    }

    /// <summary>True when <paramref name="client"/> reads <paramref name="expected"/> back; false when the server closed it (EOF or RST) first.</summary>
    public static bool Echoes(Socket client, byte expected)
    {
        var one = new byte[1];
        try
        {
            return client.Receive(one) == 1 && one[0] == expected;
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return false;
        }
    }

    /// <summary>Reads and discards until the peer closes <paramref name="client"/> (true) or the receive timeout passes (false).</summary>
    public static bool ClosedByPeer(Socket client)
    {
        var buffer = new byte[4096];
        try
        {
            while (client.Receive(buffer) > 0)
            {
            }
            return true;
        }
        catch (SocketException error) when (error.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return true;
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.TimedOut)
        {
            return false;
        }
    }
}
