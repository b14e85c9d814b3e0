using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Logging;
using Reactor.Protocols.Internal;

namespace Reactor.Protocols.Pipelines;

/// <summary>
/// A protocol that presents its connection as an <see cref="IDuplexPipe"/>, so that it can be
/// written as <c>async</c> parsing code over <see cref="PipeReader"/> and
/// <see cref="System.Buffers.SequenceReader{T}"/> instead of callbacks. The code given to the
/// constructor starts when the connection is made; the connection is closed when it returns
/// (aborted if it throws, after logging the exception).
/// </summary>
/// <remarks>
/// <para><b>Backpressure, both ways.</b> Bytes received are copied into the input pipe; once
/// <see cref="DuplexPipeOptions.PauseThreshold"/> bytes are unread, the transport is paused (it
/// stops reading) until the code has consumed the input down to
/// <see cref="DuplexPipeOptions.ResumeThreshold"/>. Bytes flushed to <see cref="Output"/> go to
/// <see cref="IConsumer.Write"/>; the output registers as the transport's streaming producer, so
/// <c>Output.FlushAsync()</c> completes only when the transport's send buffer is under its
/// high-water mark.</para>
/// <para><b>Ends.</b> A clean close or the peer's FIN completes the input (the reader sees
/// <c>IsCompleted</c>); a lost connection completes it with the <see cref="ConnectionError"/>.
/// Completing <see cref="Output"/> half-closes the connection (FIN) when the transport can.</para>
/// <para><b>Threading.</b> Continuations run on <see cref="DuplexPipeOptions.Scheduler"/>: use a
/// <see cref="ReactorPipeScheduler"/> so that they run on the reactor thread, where the pipe
/// must be used.</para>
/// </remarks>
public class TransportDuplexPipe : Protocol, IDuplexPipe, IHalfCloseableProtocol
{
    private readonly Func<IDuplexPipe, Task> _run;
    private readonly DuplexPipeOptions _options;
    private readonly ILogger? _logger;
    private ILogger? _reactorLogger; // the logger of the reactor the connection was made on, if any
    private readonly Pipe _input;
    private readonly Action _onInputFlushed;
    private TransportPipeWriter? _output;
    private ValueTask<FlushResult> _pendingInputFlush;
    private bool _inputFlushPending;
    private long _unflushedInput;
    private bool _inputDone;

    /// <summary>Creates the protocol; <paramref name="run"/> is called with this pipe when the connection is made.</summary>
    /// <param name="run">The protocol's code.</param>
    /// <param name="options">Scheduler and thresholds; defaults when null.</param>
    /// <param name="logger">
    /// Where an exception thrown by <paramref name="run"/> is logged; by default the logger of the
    /// reactor the connection was made on (its thread's), else <see cref="Deferred.Logger"/> (standard
    /// error unless the process chose another), so a failure in pipe code is never silent.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">The resume threshold is above the pause threshold, or a threshold is not positive.</exception>
    public TransportDuplexPipe(Func<IDuplexPipe, Task> run, DuplexPipeOptions? options = null, ILogger? logger = null)
    {
        _run = run ?? throw new ArgumentNullException(nameof(run));
        _options = options ?? new DuplexPipeOptions();
        _logger = logger;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.PauseThreshold, nameof(DuplexPipeOptions.PauseThreshold));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ResumeThreshold, nameof(DuplexPipeOptions.ResumeThreshold));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_options.ResumeThreshold, _options.PauseThreshold, nameof(DuplexPipeOptions.ResumeThreshold));
        _input = new Pipe(new PipeOptions(
            readerScheduler: _options.Scheduler,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: _options.PauseThreshold,
            resumeWriterThreshold: _options.ResumeThreshold,
            minimumSegmentSize: _options.MinimumSegmentSize,
            useSynchronizationContext: false));
        _onInputFlushed = OnInputFlushed;
    }

    /// <summary>A factory that gives every connection a <see cref="TransportDuplexPipe"/> running <paramref name="run"/>.</summary>
    public static Reactor.Protocols.Factory CreateFactory(Func<IDuplexPipe, Task> run, DuplexPipeOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Reactor.Protocols.Factory.ForProtocol(() => new TransportDuplexPipe(run, options, logger));
    }

    /// <summary>The bytes received.</summary>
    public PipeReader Input => _input.Reader;

    /// <summary>The bytes to send.</summary>
    /// <exception cref="InvalidOperationException">The connection is not made yet.</exception>
    public PipeWriter Output => _output ?? throw new InvalidOperationException("The pipe has no output before the connection is made.");

    /// <summary>The protocol's code, once started: completes when it returns.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>True while the transport is paused because the input pipe is full.</summary>
    public bool ReadingPaused => _inputFlushPending;

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        // Captured here, on the thread that made the connection: the code's continuations may run on
        // a scheduler's thread, which belongs to no reactor.
        _reactorLogger = ReactorThreadLogger.Current;
        _output = new TransportPipeWriter(Transport, _options.Scheduler, OnOutputCompleted);
        Transport.RegisterProducer(_output, streaming: true);
        Completion = RunAsync();
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        if (_inputDone || data.IsEmpty) return;
        var writer = _input.Writer;
        data.CopyTo(writer.GetSpan(data.Length));
        writer.Advance(data.Length);
        _unflushedInput += data.Length;
        // While a flush waits for the reader, bytes still in flight are only staged: the
        // pipe allows one pending flush, and they are flushed when it completes.
        if (!_inputFlushPending) FlushInput();
    }

    /// <inheritdoc/>
    public void ReadConnectionLost() => CompleteInput(null);

    /// <inheritdoc/>
    public void WriteConnectionLost() { }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        CompleteInput(reason.Value is ConnectionDone ? null : reason.Value);
        _output?.Close();
    }

    private void FlushInput()
    {
        _unflushedInput = 0;
        var flush = _input.Writer.FlushAsync();
        if (flush.IsCompleted)
        {
            flush.GetAwaiter().GetResult();
            return;
        }
        _inputFlushPending = true;
        _pendingInputFlush = flush;
        Transport.PauseProducing();
        flush.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onInputFlushed);
    }

    private void OnInputFlushed()
    {
        var flush = _pendingInputFlush;
        _pendingInputFlush = default;
        _inputFlushPending = false;
        var result = flush.GetAwaiter().GetResult();
        if (_inputDone || result.IsCompleted) return;
        if (_unflushedInput > 0)
        {
            FlushInput();
            if (_inputFlushPending) return;
        }
        if (!Transport.Disconnecting) Transport.ResumeProducing();
    }

    private void CompleteInput(Exception? error)
    {
        if (_inputDone) return;
        _inputDone = true;
        _input.Writer.Complete(error);
    }

    private void OnOutputCompleted(Exception? error)
    {
        var transport = TransportOrNull;
        if (transport is null) return;
        transport.UnregisterProducer();
        if (error is not null && transport is IStreamTransport aborting) aborting.AbortConnection();
        else if (transport is IStreamTransport stream) stream.LoseWriteConnection();
        else transport.LoseConnection();
    }

    private async Task RunAsync()
    {
        Exception? failure = null;
        try
        {
            await _run(this);
        }
        catch (Exception e)
        {
            failure = e;
            // Deferred.Logger is read at failure time, so a default chosen after the connection was made applies.
            ProtocolLog.PipeProtocolFailed(_logger ?? _reactorLogger ?? Deferred.Logger, e);
        }
        _input.Reader.Complete();
        var transport = Transport;
        if (_output is { } output && output.UnflushedBytes > 0 && failure is null) output.Complete();
        transport.UnregisterProducer();
        if (failure is not null && transport is IStreamTransport stream) stream.AbortConnection();
        else transport.LoseConnection();
    }
}
