using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

/// <summary>
/// A connected stream socket driven by the reactor: the part of TCP that UNIX sockets and TLS
/// share (Twisted's <c>FileDescriptor</c> + <c>tcp.Connection</c>). It reads into the reactor's
/// shared buffer and hands each chunk to the protocol, gathers writes into pooled segments,
/// flushes them at the end of the loop iteration (or writes through when nothing is pending),
/// asks for writability only while the kernel refuses data, and reports the connection's end once.
/// </summary>
/// <remarks>
/// Threading: every member runs on the reactor thread. Protocol callbacks are never re-entered:
/// closes and errors found while user code runs are delivered from the loop afterwards.
/// </remarks>
internal abstract partial class StreamTransport : IStreamTransport, IWriteBuffer, IReadDescriptor, IWriteDescriptor, IFlushable, ISlotHolder
{
    /// <inheritdoc/>
    long ISlotHolder.SlotToken { get; set; }

    /// <summary>The reactor this connection lives on.</summary>
    protected readonly ITransportHost Host;

    /// <summary>The kernel seam.</summary>
    protected readonly ISyscalls Syscalls;

    private readonly OutputBuffer _output = new();
    // Connection and byte counts for metrics: plain increments, read only when someone collects.
    private readonly StreamCounters _counters;
    private int _fd;
    private IProtocol _protocol = DetachedProtocol.Instance;

    // Life cycle: connected from Start until ConnectionLost; lost is set once, before the protocol hears.
    private bool _connected;
    private bool _lost;

    // Close requests, each finished from the loop (never inside the caller's user code).
    private bool _disconnecting;          // LoseConnection: flush, then close with ConnectionDone
    private bool _aborting;               // AbortConnection: drop output, RST, ConnectionAborted
    private bool _writeShutdownRequested; // LoseWriteConnection: flush, then shutdown(SHUT_WR)
    private bool _writeClosed;            // shutdown(SHUT_WR) done
    private bool _readClosed;             // the peer's FIN was delivered as ReadConnectionLost
    private Exception? _pendingLoss;      // a reason found during user code, delivered at the flush

    // Reactor registrations, tracked so that no redundant selector call is made.
    private bool _reading;
    private bool _writing;
    private bool _pausedByProtocol;
    private bool _flushRequested;
    private bool _flushing;

    /// <summary>
    /// Wraps the connected, non-blocking descriptor <paramref name="fd"/>. Its bytes move through the
    /// host's completion driver when it has one, unless <paramref name="readinessOnly"/> (a family whose
    /// receive and send overrides need the readiness path, such as UNIX descriptor passing).
    /// </summary>
    protected StreamTransport(ITransportHost host, int fd, bool readinessOnly = false)
    {
        Host = host;
        _driver = readinessOnly ? null : (host as IStreamCompletionSource)?.StreamDriver;
        Syscalls = host.Syscalls;
        _fd = fd;
        _counters = CountersIn(host.Instruments);
        var limits = host.Limits;
        _highWaterMark = limits.HighWaterMark;
        _lowWaterMark = limits.LowWaterMark;
        CloseTimeout = limits.CloseTimeout;
        WriteThroughThreshold = limits.WriteThroughThreshold;
    }

    /// <summary>Which counters this kind of connection adds to (TCP's; UNIX connections override).</summary>
    private protected virtual StreamCounters CountersIn(NetInstruments instruments) => instruments.Tcp;

    /// <summary>Bytes the kernel took (for the reactor.io metric).</summary>
    private protected void CountSent(nint bytes) => _counters.BytesSent += bytes;

    /// <summary>
    /// This transport's write strategy, from <c>ReactorOptions.WriteThroughThreshold</c>: a write of at
    /// least this many bytes, with nothing pending, goes straight to send(2); smaller ones are gathered.
    /// </summary>
    internal int WriteThroughThreshold { get; set; }

    /// <inheritdoc/>
    public int FileDescriptor => _fd;

    /// <summary>The protocol attached by <see cref="Start"/>.</summary>
    public IProtocol Protocol => _protocol;

    /// <summary>True from <see cref="Start"/> until the connection is lost.</summary>
    public bool Connected => _connected;

    /// <summary>True once LoseConnection or AbortConnection was called.</summary>
    public bool Disconnecting => _layer?.Disconnecting ?? (_disconnecting || _aborting);

    /// <inheritdoc/>
    public abstract EndPoint GetPeer();

    /// <inheritdoc/>
    public abstract EndPoint GetHost();

    /// <summary>
    /// Attaches <paramref name="protocol"/>, starts reading, and calls its <c>MakeConnection</c>.
    /// An exception from it is logged and closes the connection with it as the reason.
    /// </summary>
    /// <exception cref="Exception">
    /// The reactor refused the descriptor (select past FD_SETSIZE, epoll ENOMEM/ENOSPC): the socket is
    /// closed, the protocol was never connected, and the exception is the caller's to report for this
    /// connection alone (a port logs it and goes on accepting; a connector fails the attempt).
    /// </exception>
    public void Start(IProtocol protocol)
    {
        try
        {
            _connected = true;
            StartReading();
        }
        catch
        {
            _reading = false;
            _connected = false;
            _lost = true;
            CloseSocket(CloseKind.Reset);
            throw;
        }
        _protocol = protocol;
        Host.ConnectionStarted(this); // known to the reactor even while paused (shutdown closes it)
        _counters.Opened++;
        _counters.Active++;
        try
        {
            protocol.MakeConnection(this);
        }
        catch (Exception ex)
        {
            LogUserError(ex, "MakeConnection");
            FailFromLoop(ex);
        }
    }

    /// <summary>Called after the protocol heard that the connection was lost (a client tells its connector).</summary>
    protected virtual void OnConnectionLost(Failure reason) { }

    /// <summary>
    /// The connection is over: closes the socket (RST when aborted), stops a registered producer,
    /// and tells the protocol, exactly once.
    /// </summary>
    public void ConnectionLost(Failure reason)
    {
        if (_lost) return;
        _lost = true;
        Host.ConnectionEnded(this);
        if (_connected)
        {
            _counters.Active--;
            if (reason.Value is ConnectionDone) _counters.ClosedDone++;
            else _counters.ClosedLost++;
        }
        _connected = false;
        if (_reading || _writing)
        {
            _reading = _writing = false;
            // The socket is closed next: the selector may skip its system call (a completion driver cancels at its close).
            if (_driver is null) Host.RemoveBeforeClose(this);
        }
        DropOutput();
        StopWatchingClose();
        CloseSocket(reason.Value switch
        {
            ConnectionAborted => CloseKind.Reset,
            // The kernel already ended the connection (ECONNRESET, EPIPE, ETIMEDOUT ...): a
            // shutdown(2) would only fail or do nothing, so it costs a syscall for nothing.
            ConnectionLost { InnerException: SocketException } => CloseKind.Plain,
            _ => CloseKind.Orderly,
        });

        var producer = _producer;
        _producer = null;
        if (producer is not null)
        {
            try
            {
                producer.StopProducing();
            }
            catch (Exception ex)
            {
                LogUserError(ex, "StopProducing");
            }
        }

        try
        {
            _protocol.ConnectionLost(reason);
        }
        catch (Exception ex)
        {
            LogUserError(ex, "ConnectionLost");
        }
        OnConnectionLost(reason);
    }

    /// <summary>
    /// Drops the descriptor from the reactor and reports <paramref name="reason"/>. DoRead and DoWrite
    /// end the connection through here rather than by returning the reason: the transport may have
    /// changed its own registrations while user code ran, and the loop only acts on a returned
    /// reason while the registration it dispatched is unchanged.
    /// </summary>
    private void Disconnect(Exception reason) => ConnectionLost(Failure.FromReactor(reason));

    /// <summary>Records a reason found while user code runs; the loop delivers it after the code returns.</summary>
    private void FailFromLoop(Exception reason)
    {
        _pendingLoss ??= reason;
        RequestFlush();
    }

    private enum CloseKind
    {
        Orderly, // shutdown(2), then close: a FIN even if another process shares the descriptor (as Twisted)
        Plain,   // close only: the connection is already dead in the kernel
        Reset,   // SO_LINGER 0, then close: an RST
    }

    /// <summary>
    /// Releases the descriptor exactly once, whatever fails on the way. close(2)'s errno is not
    /// acted on: on Linux the number is free even after EINTR or EIO, and may already belong to
    /// another open, so a retry could close someone else's file. Anything that throws here (an
    /// assembly that cannot load at EMFILE, a completion driver's fault) is logged and the caller
    /// goes on, so the protocol still hears that the connection is lost.
    /// </summary>
    private void CloseSocket(CloseKind kind)
    {
        var fd = _fd;
        if (fd < 0) return;
        _fd = -1;
        try
        {
            if (kind == CloseKind.Orderly) Syscalls.Shutdown(fd, SocketShutdown.Both, out _);
            else if (kind == CloseKind.Reset) SocketOptions.SetResetOnClose(Syscalls, fd);
        }
        catch (Exception ex)
        {
            // Only the FIN or the RST is lost; the descriptor is still closed below.
            NetLog.CloseFailed(Host.Logger, ex, this, fd);
        }
        try
        {
            if (_driver is not null) _driver.Close(this, fd);
            else Syscalls.Close(fd, out _);
        }
        catch (Exception ex)
        {
            NetLog.CloseFailed(Host.Logger, ex, this, fd);
        }
    }

    private void StartReading()
    {
        if (_reading || _lost) return;
        _reading = true;
        if (_driver is not null) _driver.StartReceiving(this, _fd);
        else Host.AddReader(this);
    }

    private void StopReading()
    {
        if (!_reading) return;
        _reading = false;
        if (_driver is not null) _driver.StopReceiving(this, _fd);
        else Host.RemoveReader(this);
    }

    /// <summary>
    /// The kernel has not taken everything: wait for it. Readiness waits for writability; a completion
    /// driver's in-flight send plays that part (its report continues the send).
    /// </summary>
    private void StartWriting()
    {
        if (_writing || _lost) return;
        _writing = true;
        if (_driver is null) Host.AddWriter(this);
    }

    private void StopWriting()
    {
        if (!_writing) return;
        _writing = false;
        if (_driver is null) Host.RemoveWriter(this);
    }

    private void RequestFlush()
    {
        // While flushing, more work is picked up by writability (see Flush), not by a new request.
        if (_flushRequested || _flushing || _lost) return;
        _flushRequested = true;
        Host.RequestFlush(this);
    }

    /// <summary>Logs an exception thrown by user code, with its stack.</summary>
    protected void LogUserError(Exception ex, string callback) =>
        NetLog.ProtocolCallbackFailed(Host.Logger, ex, callback, _protocol.GetType().FullName, GetType().Name);

    /// <summary>Stands in for a protocol before <see cref="Start"/>, and for a refused client connection.</summary>
    internal sealed class DetachedProtocol : IProtocol
    {
        public static readonly DetachedProtocol Instance = new();

        public void MakeConnection(ITransport transport) { }

        public void DataReceived(ReadOnlySpan<byte> data) { }

        public void ConnectionLost(Failure reason) { }
    }
}
