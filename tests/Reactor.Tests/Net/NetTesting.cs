using System.Diagnostics;
using System.Net;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;

namespace Reactor.Tests.Net;

/// <summary>Helpers for loopback tests: a reactor per test, driven from the test thread until a condition holds.</summary>
internal static class NetTesting
{
    /// <summary>How long any single wait may take on a loaded machine.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static ReactorLoop CreateReactor(SelectorKind kind, CapturingLogger logger) =>
        ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = logger });

    /// <summary>Iterates <paramref name="reactor"/> until <paramref name="condition"/> holds or the deadline passes, then asserts it.</summary>
    public static void RunUntil(this ReactorLoop reactor, Func<bool> condition, string what, TimeSpan? deadline = null)
    {
        var limit = deadline ?? Deadline;
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < limit) reactor.Iterate(TimeSpan.FromMilliseconds(20));
        Assert.That(condition(), Is.True, $"Timed out after {limit.TotalSeconds} s waiting for: {what}");
    }

    /// <summary>The port a listening port got from the OS.</summary>
    public static int PortOf(IListeningPort port) => ((IPEndPoint)port.GetHost()).Port;

    /// <summary>
    /// A blocking client connected to <paramref name="port"/> on 127.0.0.1. The kernel completes the
    /// handshake itself, so this returns even while the port is paused or its loop is not running:
    /// the connection then waits in the backlog until accepted.
    /// </summary>
    public static System.Net.Sockets.Socket ConnectBlocking(IListeningPort port)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Connect(IPAddress.Loopback, PortOf(port));
        return socket;
    }

    /// <summary>A byte pattern that reveals reordering and loss: byte i is (i mod 251).</summary>
    public static byte PatternAt(long position) => (byte)(position % 251);
}

/// <summary>A protocol that records everything that happens to it.</summary>
internal class RecordingProtocol : Protocol
{
    public readonly MemoryStream Received = new();
    public int ConnectionMadeCount;
    public Failure? LostReason;
    public int LostCount;
    public Action<RecordingProtocol>? OnConnectionMade;
    public Action<RecordingProtocol, ReadOnlySpan<byte>>? OnData;

    public bool IsLost => LostCount > 0;

    public ITcpTransport Tcp => (ITcpTransport)Transport;

    public override void ConnectionMade()
    {
        ConnectionMadeCount++;
        OnConnectionMade?.Invoke(this);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        Received.Write(data);
        OnData?.Invoke(this, data);
    }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        LostCount++;
        LostReason = reason;
    }
}

/// <summary>A recording protocol that is also told about half-closes.</summary>
internal sealed class HalfCloseRecordingProtocol : RecordingProtocol, IHalfCloseableProtocol
{
    public int ReadLostCount;
    public int WriteLostCount;
    public Action<HalfCloseRecordingProtocol>? OnReadConnectionLost;

    public void ReadConnectionLost()
    {
        ReadLostCount++;
        OnReadConnectionLost?.Invoke(this);
    }

    public void WriteConnectionLost() => WriteLostCount++;
}

/// <summary>Echoes everything back.</summary>
internal sealed class EchoProtocol : Protocol
{
    public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
}

/// <summary>A client factory that records the attempt's outcome.</summary>
internal sealed class RecordingClientFactory : ClientFactory
{
    private readonly Func<IProtocol?> _build;

    public RecordingClientFactory(Func<IProtocol?> build) => _build = build;

    public Failure? FailedReason;
    public Failure? LostReason;
    public int StartedCount;
    public int StartFactoryCount;
    public int StopFactoryCount;
    public readonly List<string> Events = new();

    public bool Done => FailedReason is not null || LostReason is not null;

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        Events.Add("BuildProtocol");
        return _build();
    }

    public override void StartedConnecting(IConnector connector)
    {
        StartedCount++;
        Events.Add("StartedConnecting");
    }

    public override void ClientConnectionFailed(IConnector connector, Failure reason)
    {
        FailedReason = reason;
        Events.Add("ClientConnectionFailed");
    }

    public override void ClientConnectionLost(IConnector connector, Failure reason)
    {
        LostReason = reason;
        Events.Add("ClientConnectionLost");
    }

    public override void StartFactory() => StartFactoryCount++;

    public override void StopFactory() => StopFactoryCount++;
}
