using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Net.Blocking.Internal;
using Reactor.Protocols;
using Reactor.Net.Internal;

namespace Reactor.Net.Blocking;

/// <summary>
/// Serves each connection with code written against a blocking API, on a bounded pool of worker
/// threads (the seeds' thread-per-connection model: socketserver's <c>ThreadingMixIn</c>, a
/// <c>ThreadPoolExecutor</c> handing each connection to a worker). All socket I/O stays on the
/// reactor thread; a worker sees the connection as a blocking <see cref="System.IO.Stream"/>.
/// </summary>
/// <example>
/// <code>
/// var echo = new BlockingHandlerFactory(reactor, connection =>
/// {
///     var buffer = new byte[4096];
///     int n;
///     while ((n = connection.Stream.Read(buffer)) > 0) connection.Stream.Write(buffer, 0, n);
/// }, new BlockingHandlerOptions { Workers = 16 });
/// reactor.ListenTcp(8000, echo);
/// </code>
/// </example>
/// <remarks>
/// <para>
/// Busy policy: at most <see cref="BlockingHandlerOptions.Workers"/> handlers run at once. A
/// connection arriving while all are busy waits (in arrival order, at most
/// <see cref="BlockingHandlerOptions.MaxQueued"/> of them) or, past that or with
/// <see cref="BusyPolicy.Refuse"/>, is closed at once and counted in <see cref="Refused"/>.
/// socketserver's <c>ThreadingMixIn</c> starts a thread per connection without limit, and a
/// <c>ThreadPoolExecutor</c> queues without limit; both are bounded here.
/// </para>
/// <para>
/// Memory per connection is bounded both ways: reading pauses at <see cref="BlockingHandlerOptions.InputLimit"/>
/// unread bytes, and a handler's write blocks at <see cref="BlockingHandlerOptions.OutputLimit"/>
/// bytes not yet taken by the reactor thread, or while the transport is above its high-water mark.
/// A handler's exception is logged; the connection is closed either way when the handler returns.
/// </para>
/// </remarks>
public sealed class BlockingHandlerFactory : IProtocolFactory
{
    private readonly ReactorLoop _reactor;
    private readonly Action<BlockingConnection> _handler;
    private readonly BlockingHandlerOptions _options;
    private readonly BlockingCollection<BlockingStreamProtocol> _queue = new();
    private readonly List<Thread> _workers = new();
    private int _admitted;
    private int _running;
    private int _peakRunning;
    private long _sequence;
    private long _refused;
    private long _served;
    private int _ports;

    /// <summary>Creates the factory; its workers start when the first port starts listening.</summary>
    public BlockingHandlerFactory(ReactorLoop reactor, Action<BlockingConnection> handler, BlockingHandlerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options ?? new BlockingHandlerOptions();
        _options.Validate();
        _reactor = reactor;
        _handler = handler;
    }

    /// <summary>The options in force.</summary>
    public BlockingHandlerOptions Options => _options;

    /// <summary>Connections refused because every worker was busy and the queue was full (or the policy is Refuse).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Handlers that have returned.</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>The most handlers that ever ran at once (never above <see cref="BlockingHandlerOptions.Workers"/>).</summary>
    public int PeakRunning => Volatile.Read(ref _peakRunning);

    /// <inheritdoc/>
    public void DoStart()
    {
        if (_ports++ > 0) return;
        for (var i = 0; i < _options.Workers; i++)
        {
            var worker = new Thread(WorkerLoop) { IsBackground = true, Name = $"Reactor blocking worker {i}" };
            _workers.Add(worker);
            worker.Start();
        }
    }

    /// <inheritdoc/>
    /// <remarks>When the last port stops, the workers finish the connections they have and the queued ones, then end.</remarks>
    public void DoStop()
    {
        if (_ports == 0 || --_ports > 0) return;
        _queue.CompleteAdding();
    }

    /// <inheritdoc/>
    public IProtocol? BuildProtocol(EndPoint address) => new BlockingStreamProtocol(this, _options, _reactor);

    /// <summary>The reactor thread: admits a new connection to a worker or the queue, or refuses it.</summary>
    internal bool Admit(BlockingStreamProtocol connection)
    {
        var limit = _options.Workers + (_options.WhenBusy == BusyPolicy.Queue ? _options.MaxQueued : 0);
        if (Interlocked.Increment(ref _admitted) > limit || _queue.IsAddingCompleted)
        {
            Interlocked.Decrement(ref _admitted);
            Interlocked.Increment(ref _refused);
            NetLog.BlockingConnectionRefused(_reactor.Logger, connection.Peer, _options.Workers,
                _options.WhenBusy == BusyPolicy.Queue ? _options.MaxQueued : 0, _options.WhenBusy);
            return false;
        }
        // The connection is complete before a worker can see it: once queued, a worker may run it at once.
        connection.Admitted(_sequence++);
        _queue.Add(connection);
        return true;
    }

    private void WorkerLoop()
    {
        foreach (var connection in _queue.GetConsumingEnumerable())
        {
            var running = Interlocked.Increment(ref _running);
            int peak;
            while (running > (peak = Volatile.Read(ref _peakRunning)) && Interlocked.CompareExchange(ref _peakRunning, running, peak) != peak) { }
            try
            {
                _handler(connection.Connection);
            }
            catch (Exception ex)
            {
                NetLog.BlockingHandlerFailed(_reactor.Logger, ex, connection.Peer);
            }
            finally
            {
                connection.Stream.Dispose();
                Interlocked.Decrement(ref _running);
                Interlocked.Decrement(ref _admitted);
                Interlocked.Increment(ref _served);
            }
        }
    }
}
