using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Net;

namespace Reactor.Tests.Group;

/// <summary>
/// ReactorGroup: connections spread over the loops in both listen modes, each connection's
/// callbacks stay on its loop's thread, loops call each other, and one shutdown closes everything.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ReactorGroupTests
{
    [Test]
    public void HandOffDealsConnectionsToEveryLoopInTurn()
    {
        using var running = new RunningGroup(3, GroupListenMode.HandOff);
        var loops = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            // One at a time, so the acceptor sees them in this order.
            var (client, loop) = running.Connect();
            using (client) RunningGroup.EchoThrough(client, [1, 2, 3]);
            loops.Add(loop);
        }
        Assert.That(loops, Is.EqualTo(new[] { 0, 1, 2, 0, 1, 2 }), "strict turns, the accepting loop included");
        AssertEachConnectionStayedOnItsLoop(running, expected: 6);
    }

    [Test]
    public void ReusePortSpreadsConnectionsOverEveryLoop()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("SO_REUSEPORT balances connections on Linux only; elsewhere the group hands off.");
        using var running = new RunningGroup(2, GroupListenMode.ReusePort);
        var seen = new HashSet<int>();
        var connections = 0;
        // The kernel picks the socket by a hash of the client's port: keep connecting until both
        // loops have served one (200 tries: the chance that all land on one loop is 2^-199).
        while (seen.Count < 2 && connections < 200)
        {
            var (client, loop) = running.Connect();
            using (client) RunningGroup.EchoThrough(client, [42]);
            seen.Add(loop);
            connections++;
        }
        Assert.That(seen, Is.EquivalentTo(new[] { 0, 1 }), "both loops accepted connections");
        AssertEachConnectionStayedOnItsLoop(running, expected: connections);
    }

    [TestCase(GroupListenMode.HandOff)]
    [TestCase(GroupListenMode.ReusePort)]
    public void GroupShutdownRunsEveryLoopsTriggersAndClosesEveryConnectionAndListener(GroupListenMode mode)
    {
        if (mode == GroupListenMode.ReusePort && !OperatingSystem.IsLinux()) Assert.Ignore("SO_REUSEPORT balancing is Linux's.");
        var running = new RunningGroup(2, mode);
        var triggers = 0;
        foreach (var loop in running.Group.Loops)
        {
            loop.CallFromThread(() => loop.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => { Interlocked.Increment(ref triggers); }));
        }
        var clients = new List<Socket>();
        var loopsServing = new HashSet<int>();
        while (loopsServing.Count < 2 && clients.Count < 200)
        {
            var (client, loop) = running.Connect();
            clients.Add(client);
            loopsServing.Add(loop);
        }
        Assert.That(loopsServing, Has.Count.EqualTo(2), "a connection open on each loop");

        running.Group.Stop();
        running.WaitUntilStopped();

        Assert.That(running.RunError, Is.Null);
        Assert.That(triggers, Is.EqualTo(2), "each loop ran its shutdown triggers");
        foreach (var client in clients)
        {
            using (client) Assert.That(client.Receive(new byte[1]), Is.EqualTo(0), "the server closed the connection");
        }
        Assert.That(running.Records.All(r => r.Lost.IsSet), Is.True, "every protocol saw ConnectionLost");
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => late.Connect(IPAddress.Loopback, running.PortNumber),
            Throws.InstanceOf<SocketException>().With.Property(nameof(SocketException.SocketErrorCode)).EqualTo(SocketError.ConnectionRefused),
            "no listening socket is left");
        running.Dispose();
    }

    [Test]
    public void OneLoopStoppingStopsTheWholeGroup()
    {
        using var running = new RunningGroup(3, GroupListenMode.HandOff);
        var last = running.Group.Loops[2];
        last.CallFromThread(last.Stop);
        running.WaitUntilStopped();
        Assert.That(running.Group.Loops.Any(l => l.Running), Is.False);
    }

    [Test]
    public void LoopsHandWorkToEachOtherWithCallFromThread()
    {
        using var running = new RunningGroup(2, GroupListenMode.HandOff);
        var (first, second) = (running.Group.Loops[0], running.Group.Loops[1]);
        int there = 0, back = 0;
        var done = new ManualResetEventSlim();
        first.CallFromThread(() => second.CallFromThread(() =>
        {
            there = Environment.CurrentManagedThreadId;
            first.CallFromThread(() =>
            {
                back = Environment.CurrentManagedThreadId;
                done.Set();
            });
        }));
        Assert.That(done.Wait(RunningGroup.Deadline), Is.True);
        Assert.That(there, Is.EqualTo(running.LoopThreads[1]));
        Assert.That(back, Is.EqualTo(running.LoopThreads[0]));
        Assert.That(running.LoopThreads.Distinct().Count(), Is.EqualTo(2), "each loop has a thread of its own");
    }

    [Test]
    public void StopListeningClosesTheSocketOfEveryLoopWhileTheGroupRuns()
    {
        using var running = new RunningGroup(2, GroupListenMode.ReusePort);
        var stopped = new ManualResetEventSlim();
        var firedOn = 0;
        // On the first loop's thread, where the result fires: a callback added from another thread
        // could race the firing.
        running.Group.Loops[0].CallFromThread(() => running.Port.StopListening().AddCallback(_ =>
        {
            firedOn = Environment.CurrentManagedThreadId;
            stopped.Set();
        }));
        Assert.That(stopped.Wait(RunningGroup.Deadline), Is.True, "StopListening fired");
        Assert.That(firedOn, Is.EqualTo(running.LoopThreads[0]), "on the first loop's thread");
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => late.Connect(IPAddress.Loopback, running.PortNumber), Throws.InstanceOf<SocketException>());
    }

    [Test]
    public void EachLoopHasItsOwnFactoryStartedAndStoppedOnce()
    {
        var started = new int[2];
        var stopped = new int[2];
        using var group = ReactorGroup.Create(2);
        group.ListenTcp(0, loop =>
        {
            var index = group.Loops[0] == loop ? 0 : 1;
            return new CountingFactory(() => started[index]++, () => stopped[index]++);
        }, @interface: "127.0.0.1", mode: GroupListenMode.HandOff);
        group.Loops[0].CallWhenRunning(group.Stop);
        group.Run();
        Assert.That(started, Is.EqualTo(new[] { 1, 1 }));
        Assert.That(stopped, Is.EqualTo(new[] { 1, 1 }));
    }

    [Test]
    public void SettingUpARunningOrFinishedGroupIsRefused()
    {
        using var group = ReactorGroup.Create(2);
        group.Loops[1].CallWhenRunning(group.Stop);
        group.Run();
        Assert.That(() => group.ListenTcp(0, _ => Factory.For<EchoProtocol>()), Throws.InstanceOf<ReactorStateError>().With.Message.Contains("before Run"));
        Assert.That(group.Run, Throws.InstanceOf<ReactorStateError>());
    }

    [Test]
    public void BadArgumentsAreRefusedWithTheirName()
    {
        Assert.That(() => ReactorGroup.Create(0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("loopCount"));
        using var group = ReactorGroup.Create(1);
        Assert.That(() => group.ListenTcp(0, _ => Factory.For<EchoProtocol>(), @interface: "localhost"),
            Throws.ArgumentException.With.Property("ParamName").EqualTo("interface"));
        Assert.That(() => group.ListenTcp(0, _ => Factory.For<EchoProtocol>(), mode: (GroupListenMode)42),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("mode"));
    }

    [Test]
    public void AnAddressInUseFailsTheListenAndLeavesNothingListening()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var group = ReactorGroup.Create(2);
        foreach (var mode in new[] { GroupListenMode.ReusePort, GroupListenMode.HandOff })
        {
            Assert.That(() => group.ListenTcp(port, _ => Factory.For<EchoProtocol>(), @interface: "127.0.0.1", mode: mode),
                Throws.InstanceOf<CannotListenError>(), mode.ToString());
        }
        Assert.That(group.Loops.Sum(l => l.GetReaders().Count), Is.Zero, "no listening socket was left behind");
    }

    private static void AssertEachConnectionStayedOnItsLoop(RunningGroup running, int expected)
    {
        var records = running.Records.ToArray();
        Assert.That(records, Has.Length.EqualTo(expected));
        foreach (var record in records)
        {
            Assert.That(record.Lost.Wait(RunningGroup.Deadline), Is.True, "the server saw the client close");
            Assert.That(record.Threads.Distinct(), Is.EqualTo(new[] { running.LoopThreads[record.Loop] }),
                $"every callback of a loop-{record.Loop} connection ran on that loop's thread");
        }
    }

    private sealed class CountingFactory(Action onStart, Action onStop) : Factory
    {
        public override void StartFactory() => onStart();

        public override void StopFactory() => onStop();
    }
}
