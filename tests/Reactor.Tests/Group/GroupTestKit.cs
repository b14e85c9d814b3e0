using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Tests.Core;

namespace Reactor.Tests.Group;

/// <summary>What a group-served connection saw: its loop and the thread of every callback.</summary>
internal sealed class ConnectionRecord
{
    public int Loop;
    public readonly ConcurrentBag<int> Threads = new();
    public readonly ManualResetEventSlim Lost = new();
}

/// <summary>
/// Tells the client which loop serves it (one byte, at connection), then echoes; records the thread
/// of every callback.
/// </summary>
internal sealed class LoopReportingProtocol(int loop, ConnectionRecord record) : Protocol
{
    public override void ConnectionMade()
    {
        record.Loop = loop;
        record.Threads.Add(Environment.CurrentManagedThreadId);
        Transport.Write([(byte)loop]);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        record.Threads.Add(Environment.CurrentManagedThreadId);
        Transport.Write(data);
    }

    public override void ConnectionLost(Failure reason)
    {
        record.Threads.Add(Environment.CurrentManagedThreadId);
        record.Lost.Set();
    }
}

/// <summary>A group run on a thread of the test's, clients on blocking loopback sockets with timeouts.</summary>
internal sealed class RunningGroup : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Thread _thread;
    private readonly ManualResetEventSlim _allRunning = new();
    private readonly int[] _loopThreads;
    private int _running;

    public RunningGroup(int loops, GroupListenMode mode)
    {
        Logger = new CapturingLogger();
        Group = ReactorGroup.Create(loops, new ReactorOptions { Logger = Logger });
        _loopThreads = new int[loops];
        for (var i = 0; i < loops; i++)
        {
            var index = i;
            Group.Loops[i].CallWhenRunning(() =>
            {
                _loopThreads[index] = Environment.CurrentManagedThreadId;
                if (Interlocked.Increment(ref _running) == loops) _allRunning.Set();
            });
        }
        Port = Group.ListenTcp(0, loop =>
        {
            var index = IndexOf(loop);
            return Factory.ForProtocol(() =>
            {
                var record = new ConnectionRecord();
                Records.Add(record);
                return new LoopReportingProtocol(index, record);
            });
        }, @interface: "127.0.0.1", mode: mode);
        _thread = new Thread(() =>
        {
            try
            {
                Group.Run();
            }
            catch (Exception ex)
            {
                RunError = ex;
            }
        }) { IsBackground = true, Name = "group-test" };
        _thread.Start();
        Assert.That(_allRunning.Wait(Deadline), Is.True, "every loop of the group started");
    }

    public ReactorGroup Group { get; }

    public CapturingLogger Logger { get; }

    public IListeningPort Port { get; }

    public ConcurrentBag<ConnectionRecord> Records { get; } = new();

    public Exception? RunError { get; private set; }

    /// <summary>The managed thread id each loop runs on.</summary>
    public IReadOnlyList<int> LoopThreads => _loopThreads;

    public int PortNumber => ((IPEndPoint)Port.GetHost()).Port;

    public int IndexOf(ReactorLoop loop)
    {
        for (var i = 0; i < Group.Count; i++) if (ReferenceEquals(Group.Loops[i], loop)) return i;
        throw new ArgumentException("not a loop of this group");
    }

    /// <summary>Connects a client; returns it with the index of the loop that serves it.</summary>
    public (Socket Client, int Loop) Connect()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)Deadline.TotalMilliseconds,
            SendTimeout = (int)Deadline.TotalMilliseconds,
        };
        client.Connect(IPAddress.Loopback, PortNumber);
        var loop = new byte[1];
        Assert.That(client.Receive(loop), Is.EqualTo(1), "the server named its loop");
        return (client, loop[0]);
    }

    /// <summary>Sends bytes and reads them back.</summary>
    public static void EchoThrough(Socket client, byte[] message)
    {
        client.Send(message);
        var back = new byte[message.Length];
        var got = 0;
        while (got < back.Length)
        {
            var n = client.Receive(back, got, back.Length - got, SocketFlags.None);
            Assert.That(n, Is.GreaterThan(0), "the echo arrived before the connection closed");
            got += n;
        }
        Assert.That(back, Is.EqualTo(message));
    }

    /// <summary>Waits for Run to return.</summary>
    public void WaitUntilStopped() =>
        Assert.That(_thread.Join(Deadline), Is.True, "the group's Run returned");

    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            Group.Stop();
            _thread.Join(Deadline);
        }
        if (!_thread.IsAlive) Group.Dispose();
    }
}
