using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Testing;

/// <summary>
/// Connects two protocols in memory and moves bytes between them only when told to (Twisted's
/// <c>iosim.IOPump</c> with <c>iosim.connect</c>, and the in-memory half of
/// <c>loopback.loopbackAsync</c>): no socket, no reactor, no thread, fully deterministic.
/// </summary>
/// <remarks>
/// <para>Each <see cref="Pump"/> delivers what each side has written (client to server first),
/// at most <see cref="MaxChunkSize"/> bytes per side; when no data moved it reports one pending
/// close event instead. <see cref="Flush"/> pumps until nothing is left to do.</para>
/// <para>Close events follow TCP: <c>LoseConnection</c> takes effect once the closing side's
/// queue has drained (and no pull producer, or paused push producer, holds it open), and both
/// protocols see <see cref="ConnectionDone"/>. <c>LoseWriteConnection</c> delivers a FIN: an
/// <see cref="IHalfCloseableProtocol"/> peer gets <c>ReadConnectionLost</c> and may still write,
/// any other peer closes the whole connection. <c>AbortConnection</c> drops queued bytes: the
/// aborting side sees <see cref="ConnectionAborted"/>, the other <see cref="ConnectionLost"/>.
/// A side that paused reading learns of a close only once it resumes.</para>
/// </remarks>
public sealed class LoopbackPump
{
    /// <summary>The server's address in a pumped connection unless another is given.</summary>
    public static readonly IPEndPoint DefaultServerAddress = new(IPAddress.Loopback, 10000);

    /// <summary>The client's address in a pumped connection unless another is given.</summary>
    public static readonly IPEndPoint DefaultClientAddress = new(IPAddress.Loopback, 20000);

    private byte[] _scratch = new byte[4096];
    private int _maxChunkSize = int.MaxValue;

    private LoopbackPump(FakeTransport serverTransport, FakeTransport clientTransport)
    {
        ServerTransport = serverTransport;
        ClientTransport = clientTransport;
    }

    /// <summary>The accepting side's transport.</summary>
    public FakeTransport ServerTransport { get; }

    /// <summary>The connecting side's transport.</summary>
    public FakeTransport ClientTransport { get; }

    /// <summary>
    /// The most bytes handed to a protocol in one <c>DataReceived</c>. Set it to 1 to feed a
    /// protocol one byte at a time. Defaults to unlimited.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxChunkSize
    {
        get => _maxChunkSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxChunkSize));
            _maxChunkSize = value;
        }
    }

    private readonly List<Deferred<object?>> _whenDisconnected = [];

    /// <summary>True once both protocols have been told the connection is gone.</summary>
    public bool BothDisconnected => ServerTransport.Disconnected && ClientTransport.Disconnected;

    /// <summary>
    /// A Deferred that fires (with null) once both protocols have been told the connection is
    /// gone, as pumping reports it (Twisted's <c>loopbackAsync</c> result). Already fired if they have.
    /// </summary>
    public Deferred<object?> WhenBothDisconnected()
    {
        if (BothDisconnected) return Deferred.Succeed<object?>(null);
        var d = new Deferred<object?>();
        _whenDisconnected.Add(d);
        return d;
    }

    /// <summary>
    /// Connects <paramref name="server"/> and <paramref name="client"/>: the server's
    /// <c>MakeConnection</c> runs first, then the client's; with <paramref name="greet"/> the pump
    /// is then flushed so that greetings have been exchanged when this returns.
    /// </summary>
    public static LoopbackPump Connect(IProtocol server, IProtocol client, bool greet = true,
        EndPoint? serverAddress = null, EndPoint? clientAddress = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(client);
        var serverEnd = serverAddress ?? DefaultServerAddress;
        var clientEnd = clientAddress ?? DefaultClientAddress;
        var serverTransport = new FakeTransport(server, isServer: true, host: serverEnd, peer: clientEnd);
        var clientTransport = new FakeTransport(client, isServer: false, host: clientEnd, peer: serverEnd);
        var pump = new LoopbackPump(serverTransport, clientTransport);
        server.MakeConnection(serverTransport);
        client.MakeConnection(clientTransport);
        if (greet) pump.Flush();
        return pump;
    }

    /// <summary>
    /// Builds a server and a client protocol and connects them (Twisted's
    /// <c>iosim.connectedServerAndClient</c>).
    /// </summary>
    public static (TClient Client, TServer Server, LoopbackPump Pump) ConnectedServerAndClient<TServer, TClient>(
        Func<TServer> buildServer, Func<TClient> buildClient, bool greet = true)
        where TServer : IProtocol
        where TClient : IProtocol
    {
        ArgumentNullException.ThrowIfNull(buildServer);
        ArgumentNullException.ThrowIfNull(buildClient);
        var client = buildClient();
        var server = buildServer();
        return (client, server, Connect(server, client, greet));
    }

    /// <summary>Pumps until nothing moves; true if anything happened.</summary>
    /// <exception cref="InvalidOperationException">Still busy after <paramref name="maxRounds"/> rounds (the protocols never go quiet).</exception>
    public bool Flush(int maxRounds = 100_000)
    {
        var any = false;
        for (var i = 0; i < maxRounds; i++)
        {
            if (!Pump()) return any;
            any = true;
        }
        throw new InvalidOperationException($"The connection was still busy after {maxRounds} pump rounds.");
    }

    /// <summary>
    /// Delivers what each side has written (client to server, then server to client), or when
    /// nothing was written, one pending close event. True if anything happened.
    /// </summary>
    public bool Pump()
    {
        var moved = PollPullProducer(ClientTransport) | PollPullProducer(ServerTransport);
        moved |= Move(ClientTransport, ServerTransport);
        moved |= Move(ServerTransport, ClientTransport);
        if (moved) return true;
        var closed = CloseStep(ServerTransport, ClientTransport) || CloseStep(ClientTransport, ServerTransport);
        if (closed && BothDisconnected && _whenDisconnected.Count > 0)
        {
            var waiting = _whenDisconnected.ToArray();
            _whenDisconnected.Clear();
            foreach (var d in waiting) d.Callback(null);
        }
        return closed;
    }

    // Asking a pull producer counts as progress, as the reactor keeps asking while one is
    // registered: a producer that never writes nor unregisters makes Flush give up.
    private static bool PollPullProducer(FakeTransport transport) => transport.PollPullProducer();

    private bool Move(FakeTransport from, FakeTransport to)
    {
        if (from.Disconnected || to.Disconnected || to.ReadingPaused || to.ReadClosed) return false;
        var pending = from.PeekOutput();
        if (pending.IsEmpty) return false;
        var count = Math.Min(pending.Length, _maxChunkSize);
        if (_scratch.Length < count) _scratch = new byte[Math.Max(count, _scratch.Length * 2)];
        // Copied out first: the receiving protocol may write, which can reshape the sender's queue.
        pending[..count].CopyTo(_scratch);
        from.ConsumeOutput(count);
        to.Protocol.DataReceived(_scratch.AsSpan(0, count));
        return true;
    }

    /// <summary>Reports one close event caused by <paramref name="side"/>, if one is due.</summary>
    private static bool CloseStep(FakeTransport side, FakeTransport other)
    {
        if (side.Disconnected) return false;
        if (side.Aborted)
        {
            side.ReportLost(new ConnectionAborted());
            other.ReportLost(new ConnectionLost());
            return true;
        }
        if (side.PendingOutput > 0 || side.ProducerHoldsConnection) return false;
        if (side.Disconnecting)
        {
            if (other.ReadingPaused) return false;
            side.ReportLost(new ConnectionDone());
            other.ReportLost(new ConnectionDone());
            return true;
        }
        if (side.WriteDisconnecting && !side.WriteClosed)
        {
            side.WriteClosed = true;
            (side.Protocol as IHalfCloseableProtocol)?.WriteConnectionLost();
            return true;
        }
        if (side.WriteClosed && !other.ReadClosed && !other.ReadingPaused)
        {
            DeliverFin(receiver: other, sender: side);
            return true;
        }
        return false;
    }

    private static void DeliverFin(FakeTransport receiver, FakeTransport sender)
    {
        receiver.ReadClosed = true;
        if (receiver.Protocol is IHalfCloseableProtocol halfCloseable)
        {
            halfCloseable.ReadConnectionLost();
            if (receiver.WriteClosed && sender.ReadClosed)
            {
                // Both directions are now shut: the connection is over.
                receiver.ReportLost(new ConnectionDone());
                sender.ReportLost(new ConnectionDone());
            }
            return;
        }
        receiver.ReportLost(new ConnectionDone());
        sender.ReportLost(new ConnectionDone());
    }
}
