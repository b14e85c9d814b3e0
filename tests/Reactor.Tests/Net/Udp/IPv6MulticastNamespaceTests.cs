using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Reactor.Core;
using Reactor.Net;
using Reactor.Tests.Infrastructure;
using static Reactor.Tests.Net.Udp.DatagramTestKit;

namespace Reactor.Tests.Net.Udp;

/// <summary>
/// IPv6 multicast delivery. Linux gives lo no IPv6 multicast route (and routes multicast out of
/// lo never come back in), so this test builds its own network: a dedicated thread moves into a
/// new network namespace (unshare(CLONE_NEWNET), only that thread), creates a veth pair there
/// with duplicate address detection off, and runs a reactor whose sockets live in that namespace.
/// Multicast loop delivers the sender's own copy to the member on the same host. Nothing outside
/// the namespace is touched; it vanishes with the thread. Needs root (CAP_SYS_ADMIN) and ip(8).
/// </summary>
[TestFixture]
[NonParallelizable]
public partial class IPv6MulticastNamespaceTests
{
    private const int CLONE_NEWNET = 0x40000000;

    [LibraryImport("libc.so.6", EntryPoint = "unshare", SetLastError = true)]
    private static partial int Unshare(int flags);

    [LibraryImport("libc.so.6", EntryPoint = "if_nametoindex", StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint InterfaceIndex(string name);

    // Twisted: test_udp.py MulticastTests.test_multicast, for IPv6 (Twisted's IPv6 multicast support).
    [Test]
    public void AnIPv6GroupMemberReceivesWhatIsSentToTheGroup()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Network namespaces are Linux-only.");
        var ip = ExternalTool.Require("ip");
        string? ignored = null;
        Exception? failure = null;
        string? received = null;

        var thread = new Thread(() =>
        {
            try
            {
                if (Unshare(CLONE_NEWNET) != 0)
                {
                    ignored = $"unshare(CLONE_NEWNET) failed (errno {Marshal.GetLastPInvokeError()}): needs CAP_SYS_ADMIN";
                    return;
                }
                // Children started from this thread (ip) inherit its namespace; /proc/sys/net is this namespace's.
                File.WriteAllText("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
                Run(ip, "link set lo up");
                Run(ip, "link add rxv0 type veth peer name rxv1");
                Run(ip, "link set rxv1 up");
                Run(ip, "link set rxv0 up");
                var index = (int)InterfaceIndex("rxv0");
                Assert.That(index, Is.GreaterThan(0), "rxv0 exists in the namespace");

                using var reactor = CreateReactor(out _);
                var member = new RecordingDatagramProtocol();
                var memberPort = reactor.ListenMulticast(0, member, "::");
                var group = IPAddress.Parse("ff12::7e57");
                Wait(reactor, memberPort.JoinGroup(group, interfaceIndex: index), "JoinGroup");

                var sender = reactor.ListenMulticast(0, new RecordingDatagramProtocol(), "::");
                sender.SetOutgoingInterface(null, index);
                sender.SetLoopbackMode(true);
                // A fresh veth pair may have no IPv6 route for a few milliseconds after "up" (the kernel
                // finishes bringing the link up asynchronously): sendto fails with ENETUNREACH until it has.
                var destination = new IPEndPoint(group, ((IPEndPoint)memberPort.GetHost()).Port);
                var routeDeadline = DateTime.UtcNow + Deadline;
                while (true)
                {
                    try
                    {
                        sender.Write("to the IPv6 group"u8, destination);
                        break;
                    }
                    catch (SocketException ex) when (ex.SocketErrorCode == SocketError.NetworkUnreachable && DateTime.UtcNow < routeDeadline)
                    {
                        reactor.Iterate(TimeSpan.FromMilliseconds(20));
                    }
                }
                IterateUntil(reactor, () => member.Received.Count == 1, "the IPv6 multicast datagram");
                received = System.Text.Encoding.ASCII.GetString(member.Received[0].Data);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        }) { IsBackground = true, Name = "ipv6-multicast-netns" };
        thread.Start();
        Assert.That(thread.Join(Deadline + Deadline), Is.True, "the namespace thread finished");

        if (ignored is not null) Assert.Ignore(ignored);
        if (failure is not null) throw failure;
        Assert.That(received, Is.EqualTo("to the IPv6 group"));
    }

    private static void Run(string tool, string arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments.Split(' ')) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(20_000), Is.True, $"ip {arguments} finished");
        Assert.That(process.ExitCode, Is.Zero, $"ip {arguments}: {error}");
    }
}
