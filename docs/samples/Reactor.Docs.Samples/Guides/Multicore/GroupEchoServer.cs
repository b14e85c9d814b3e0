using System.Net;
using Reactor.Core;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Multicore;

#region protocol
/// <summary>Echoes; counts connections in a tally all loops share.</summary>
public sealed class CountedEcho(ConnectionTally tally) : Protocol
{
    public override void ConnectionMade() => tally.Opened();

    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}

/// <summary>Shared by every loop, so called from several threads at once: Interlocked, not ++.</summary>
public sealed class ConnectionTally
{
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Opened() => Interlocked.Increment(ref _total);
}
#endregion

/// <summary>The guide's group snippet, runnable: an echo server on two loops, on a free loopback port.</summary>
public static class GroupEchoServer
{
    public static (ReactorGroup Group, IListeningPort Port, ConnectionTally Tally) Create()
    {
        #region group
        var group = ReactorGroup.Create(loopCount: 2); // usually Environment.ProcessorCount
        var tally = new ConnectionTally();
        // One factory per loop: each loop builds and runs its own protocols on its own thread.
        var port = group.ListenTcp(0, loop => Factory.ForProtocol(() => new CountedEcho(tally)),
            @interface: "127.0.0.1", mode: GroupListenMode.ReusePort);
        group.Loops[0].CallWhenRunning(() => Console.WriteLine($"listening on {port.GetHost()}"));
        // group.Run() runs every loop until Ctrl-C, SIGTERM or group.Stop().
        #endregion
        return (group, port, tally);
    }

    /// <summary>The port the group listens on.</summary>
    public static int PortOf(IListeningPort port) => ((IPEndPoint)port.GetHost()).Port;
}
