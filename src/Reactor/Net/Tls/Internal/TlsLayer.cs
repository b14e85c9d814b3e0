using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Time;

using Reactor.Net.Internal;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// TLS as a layer between a stream transport and the application's protocol (Twisted's
/// <c>TLSMemoryBIOProtocol</c>): to the transport underneath it is the protocol receiving
/// ciphertext; to the application it is the transport (<see cref="ITlsTransport"/>). An
/// <see cref="SslStream"/> does the cryptography over a <see cref="CiphertextStream"/>, so no
/// socket and no thread is involved: every step runs on the reactor thread, inside the calls the
/// transport and the application make.
/// </summary>
/// <remarks>
/// This file: construction, the protocol side (bytes and events from the transport underneath)
/// and the handshake. Reading.cs: delivering plaintext and flow control. Writing.cs: writes and
/// closes. Transport.cs: the rest of the transport face (producers, addresses, TLS details).
/// Down.cs: calls into the transport underneath, marked for STARTTLS.
/// </remarks>
internal sealed partial class TlsLayer : IProtocol, IHalfCloseableProtocol, ICiphertextSink
{
    private readonly IProtocol _app;
    private readonly TlsOptions _options;
    private readonly string? _serverName;
    private readonly IReactorTime _clock;
    private readonly IReactorFromThreads? _threads;
    private readonly ILogger _logger;
    private readonly bool _connectApplication;
    private readonly int _loopThreadId;
    private readonly CiphertextStream _cipher;
    private readonly SslStream _ssl;
    private readonly Action _handshakeContinuation;
    private readonly Action _closeNotifyTimedOut;
    private IStreamTransport? _underlying;
    private Task? _handshake;
    private SslPolicyErrors? _rejectedPeer;
    private Failure? _reason;
    private bool _handshakeDone;
    private bool _failed;
    private bool _underlyingGone;
    private Failure? _transportReason;
    private bool _lost;
    private int _marshalledContinuations;
    // Metrics and tracing of the handshake (once per connection, never per read or write).
    private readonly NetInstruments _instruments;
    private long _handshakeStarted;
    private System.Diagnostics.Activity? _handshakeActivity;

    /// <summary>Creates the layer for one connection.</summary>
    /// <param name="application">The protocol that sees plaintext.</param>
    /// <param name="options">Server or client options: they decide the role.</param>
    /// <param name="serverName">For a client, the name the server's certificate is checked against.</param>
    /// <param name="clock">The reactor: schedules deferred reads and, if it can, takes continuations back from other threads.</param>
    /// <param name="logger">Where exceptions from the application are logged.</param>
    /// <param name="connectApplication">
    /// False for STARTTLS: the application is already connected and keeps its transport.
    /// </param>
    /// <param name="limiter">The port's bound on concurrent handshakes, if it has one.</param>
    public TlsLayer(IProtocol application, TlsOptions options, string? serverName, IReactorTime clock, ILogger logger, bool connectApplication, HandshakeLimiter? limiter = null)
    {
        _limiter = limiter;
        _app = application;
        _options = options;
        _serverName = serverName;
        _clock = clock;
        _threads = clock as IReactorFromThreads;
        _instruments = (clock as ITransportHost)?.Instruments ?? NetInstruments.Unobserved;
        _logger = logger;
        _connectApplication = connectApplication;
        _loopThreadId = Environment.CurrentManagedThreadId;
        _cipher = new CiphertextStream(this);
        _ssl = new SslStream(_cipher, leaveInnerStreamOpen: false);
        _handshakeContinuation = ContinueOnLoop(OnHandshakeCompleted);
        _readContinuation = ContinueOnLoop(OnReadCompleted);
        _writeContinuation = ContinueOnLoop(OnWriteCompleted);
        _shutdownContinuation = ContinueOnLoop(OnShutdownCompleted);
        _scheduledPump = RunScheduledPump;
        _closeNotifyTimedOut = () =>
        {
            _closeNotifyWait = null;
            CloseUnderlying();
        };
    }

    /// <summary>The application's protocol.</summary>
    public IProtocol Application => _app;

    /// <summary>True when this side is the TLS server.</summary>
    public bool IsServer => _options is TlsServerOptions;

    /// <summary>
    /// What the application's <c>ConnectionLost</c> received, once it has: the factory hands it
    /// to <c>ClientConnectionLost</c> so a TLS failure reaches the client factory too.
    /// </summary>
    public Failure? FinalReason { get; private set; }

    /// <summary>
    /// How many SslStream continuations ran on a thread other than the reactor's and were sent
    /// back with <c>CallFromThread</c>. Zero in a healthy run; the tests check it.
    /// </summary>
    internal int MarshalledContinuations => Volatile.Read(ref _marshalledContinuations);

    /// <summary>Ciphertext received and not yet decrypted (held while the application is paused).</summary>
    internal int BufferedCiphertext => _cipher.BufferedBytes;

    /// <summary>Plaintext written and held (during the handshake, or behind a pending write).</summary>
    internal int HeldPlaintext => _held.Length;

    /// <summary>The transport underneath (the socket); tests look at its buffers.</summary>
    internal IStreamTransport Underlying => _underlying ?? throw new InvalidOperationException("The TLS transport is not connected yet.");

    /// <summary>
    /// The transport underneath is connected: connect the application (unless this is STARTTLS)
    /// and send the first handshake message.
    /// </summary>
    /// <exception cref="ArgumentException">The transport is not a stream transport.</exception>
    public void MakeConnection(ITransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (_underlying is not null) throw new InvalidOperationException("The TLS layer is already connected.");
        _underlying = transport as IStreamTransport
            ?? throw new ArgumentException($"TLS needs a stream transport (IStreamTransport); got {transport.GetType().Name}.", nameof(transport));
        _host = transport as Stream.IStreamLayerHost;
        using var scope = LoopContextScope.Enter();
        if (_connectApplication) _app.MakeConnection(this);
        // ConnectionMade may already have closed the connection; a handshake is only worth
        // running if there is something to send.
        if (_aborted || _lost || (_disconnecting && _held.IsEmpty)) return;
        StartHandshake();
    }

    /// <summary>Ciphertext from the peer: decrypt, and deliver what it yields.</summary>
    public void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_plain)
        {
            RelayDataReceived(data);
            return;
        }
        // Once the transport is told to close nothing more is read. Between our close_notify and
        // the peer's, reading goes on: what the peer sent meanwhile still reaches the
        // application (Twisted's test_loseConnectionAfterHandshake). Once reading has finished
        // (the peer's close_notify, an error) whatever else arrives is dropped, not buffered: a
        // peer that goes on sending after its close_notify costs no memory (RFC 8446 §6.1: data
        // after a closure alert MUST be ignored).
        if (_aborted || _lost || _failed || _underlyingClosing || _readsFinished) return;
        using var scope = LoopContextScope.Enter();
        _cipher.Feed(data);
    }

    /// <summary>The peer closed its side of the transport (FIN): TLS sees end of stream.</summary>
    public void ReadConnectionLost()
    {
        if (_plain)
        {
            RelayReadConnectionLost();
            return;
        }
        using var scope = LoopContextScope.Enter();
        _cipher.FeedEndOfStream();
    }

    /// <summary>Our <c>LoseWriteConnection</c> reached the transport: tell the application.</summary>
    public void WriteConnectionLost()
    {
        if (_app is not IHalfCloseableProtocol halfCloseable) return;
        try
        {
            halfCloseable.WriteConnectionLost();
        }
        catch (Exception e)
        {
            ApplicationFailed(e);
        }
    }

    /// <summary>
    /// The transport underneath is gone. TLS first finishes with what it received — the
    /// application gets every byte that arrived, and if it has paused, gets them (and then the
    /// loss) only once it resumes, as a plain transport reports a close seen while paused — then
    /// the application is told, with the TLS-level reason if there is one.
    /// </summary>
    public void ConnectionLost(Failure reason)
    {
        if (_plain)
        {
            RelayConnectionLost(reason);
            return;
        }
        if (_lost || _underlyingGone) return;
        using var scope = LoopContextScope.Enter();
        _underlyingGone = true;
        _transportReason = reason;
        // Completes a pending read or handshake: the pump drains what is left, then sees the end.
        _cipher.FeedEndOfStream();
        if (_lost) return;
        if (_handshakeDone && !_readsFinished && !_aborted && !_failed)
        {
            if (_applicationPaused) return; // ResumeProducing drains, then completes the loss
            if (!_readPending) PumpReads();
            if (!_readsFinished) return;
        }
        CompleteLoss();
    }

    /// <summary>Tells the application the connection is gone, once, and releases the TLS session.</summary>
    private void CompleteLoss()
    {
        if (_lost || _transportReason is null) return;
        _lost = true;
        var reason = _transportReason;
        if (_reason is null && reason.Value is ConnectionDone && _handshakeDone && !_closeNotifyReceived && !_disconnecting && !_aborted)
        {
            // A clean TCP close without close_notify: the peer may have been cut off mid-stream
            // (a truncation attack looks the same), so it is not a clean close (Twisted agrees).
            _reason = new Failure(new ConnectionLost("The peer closed the connection without a TLS close_notify; data may have been truncated."));
        }
        var final = _reason ?? reason;
        FinalReason = final;
        FailUnwrap(final);
        try
        {
            _app.ConnectionLost(final);
        }
        catch (Exception e)
        {
            NetLog.TlsConnectionLostFailed(_logger, e, _app.GetType().Name);
        }
        ReleaseResources();
    }

    /// <summary>Ciphertext from SslStream: straight to the transport underneath.</summary>
    void ICiphertextSink.WriteCiphertext(ReadOnlySpan<byte> ciphertext)
    {
        if (_underlyingGone || _aborted) return;
        if (_underlying is not null) DownWrite(ciphertext);
    }

    private void StartHandshake()
    {
        _handshakeStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        _handshakeActivity = _instruments.StartActivity("tls.handshake", _options is TlsServerOptions ? System.Diagnostics.ActivityKind.Server : System.Diagnostics.ActivityKind.Client);
        if (_serverName is not null) _handshakeActivity?.SetTag("server.address", _serverName);
        WatchHandshake();
        Task handshake;
        try
        {
            handshake = _options switch
            {
                TlsServerOptions server => _ssl.AuthenticateAsServerAsync(server.CreateSslOptions(ValidatePeer), CancellationToken.None),
                TlsClientOptions client => _ssl.AuthenticateAsClientAsync(client.CreateSslOptions(_serverName!, ValidatePeer), CancellationToken.None),
                _ => throw new ArgumentException($"Unknown TLS options type {_options.GetType().Name}.", "options"),
            };
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            HandshakeFailed(e);
            return;
        }
        _handshake = handshake;
        if (handshake.IsCompleted) OnHandshakeCompleted();
        else handshake.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_handshakeContinuation);
    }

    private void OnHandshakeCompleted()
    {
        var handshake = _handshake!;
        _handshake = null;
        EndHandshakeWatch();
        try
        {
            handshake.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            HandshakeFailed(e);
            return;
        }
        if (_aborted || _lost || _failed) return;
        _handshakeDone = true;
        HandshakeMeasured(null);
        CaptureSessionDetails();
        if (_app is IHandshakeListener listener)
        {
            try
            {
                listener.HandshakeCompleted();
            }
            catch (Exception e)
            {
                ApplicationFailed(e);
                return;
            }
        }
        FlushHeld();
        PumpReads();
    }

    private void HandshakeMeasured(Exception? error)
    {
        _instruments.TlsHandshakeDone(_handshakeStarted, error);
        if (_handshakeActivity is { } activity)
        {
            _handshakeActivity = null;
            if (error is not null)
            {
                activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Message);
                activity.SetTag("error.type", error.GetType().FullName);
            }
            else
            {
                activity.SetTag("tls.protocol.version", _ssl.SslProtocol.ToString());
            }
            activity.Dispose();
        }
    }

    private void HandshakeFailed(Exception e)
    {
        EndHandshakeWatch();
        if (!_failed && !_handshakeDone) HandshakeMeasured(e);
        _failed = true;
        _readsFinished = true;
        _held.Clear();
        // A close asked for before anything was sent makes the handshake moot.
        if (_aborted || (_disconnecting && !_holdingForClose)) return;
        _reason ??= new Failure(DescribeHandshakeFailure(e));
        // The close flushes the alert SslStream just wrote, so the peer learns why.
        CloseUnderlying();
    }

    private TlsError DescribeHandshakeFailure(Exception e)
    {
        var peer = IsServer ? "client" : "server";
        if (_rejectedPeer is { } errors)
        {
            var detail = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) && _serverName is not null
                ? $" (it is not valid for '{_serverName}')"
                : "";
            var what = errors == SslPolicyErrors.RemoteCertificateNotAvailable
                ? $"the {peer} sent no certificate and one is required"
                : $"the {peer}'s certificate was rejected: {errors}{detail}";
            return new TlsError(TlsErrorKind.CertificateRejected, $"TLS handshake failed: {what}.", e, errors);
        }
        if (_underlyingGone || (e is IOException && _cipher.EndOfStreamReturned))
        {
            return new TlsError(TlsErrorKind.HandshakeFailed, $"TLS handshake failed: the connection closed before the handshake completed ({e.Message}).", e);
        }
        return new TlsError(TlsErrorKind.HandshakeFailed, $"TLS handshake failed: {e.Message}", e);
    }

    /// <summary>SslStream's certificate check, with the options' policy on top of the platform's verdict.</summary>
    private bool ValidatePeer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var certificate2 = certificate as X509Certificate2;
        bool accepted;
        if (_options is TlsClientOptions { UnsafeSkipCertificateVerification: true })
        {
            accepted = true;
        }
        else if (_options.CertificateValidator is { } validator)
        {
            accepted = validator(certificate2, chain, errors);
        }
        else if (_options is TlsServerOptions server)
        {
            accepted = server.ClientCertificateMode switch
            {
                TlsClientCertificateMode.None => true,
                TlsClientCertificateMode.Optional => certificate is null || errors == SslPolicyErrors.None,
                _ => certificate is not null && errors == SslPolicyErrors.None,
            };
        }
        else
        {
            accepted = errors == SslPolicyErrors.None;
        }
        if (!accepted) _rejectedPeer = errors;
        return accepted;
    }

    /// <summary>
    /// Logs an exception thrown by the application and drops the connection with it as the
    /// reason, as a plain transport does.
    /// </summary>
    private void ApplicationFailed(Exception e)
    {
        NetLog.TlsApplicationFailed(_logger, e, _app.GetType().Name);
        _reason ??= new Failure(e);
        _failed = true;
        _readsFinished = true;
        _held.Clear();
        if (_underlyingGone)
        {
            CompleteLoss();
        }
        else if (_underlying is not null && !_aborted)
        {
            _aborted = true;
            DownAbortConnection();
        }
    }

    /// <summary>
    /// Wraps a continuation so that it runs on the reactor thread: inline when SslStream
    /// completed on it (the normal case), through <c>CallFromThread</c> otherwise.
    /// </summary>
    private Action ContinueOnLoop(Action handler)
    {
        void RunGuarded()
        {
            using var scope = LoopContextScope.Enter();
            try
            {
                handler();
            }
            catch (Exception e)
            {
                // Never let an exception escape into SslStream's own completion path.
                NetLog.TlsLayerFailed(_logger, e);
                ApplicationFailed(e);
            }
        }

        return () =>
        {
            if (Environment.CurrentManagedThreadId == _loopThreadId || _threads is null)
            {
                RunGuarded();
                return;
            }
            Interlocked.Increment(ref _marshalledContinuations);
            _threads.CallFromThread(RunGuarded);
        };
    }

    private void ReleaseResources()
    {
        EndHandshakeWatch();
        if (_closeNotifyWait is { Active: true } wait) wait.Cancel();
        _closeNotifyWait = null;
        _held.Clear();
        ReturnReadBuffer();
        try
        {
            _ssl.Dispose();
        }
        catch (Exception e)
        {
            NetLog.TlsDisposeFailed(_logger, e);
        }
    }
}
