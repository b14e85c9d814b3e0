using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Processes.Internal;

/// <summary>
/// A running child: its pipes (one <see cref="ProcessReader"/> or <see cref="ProcessWriter"/> per
/// mapped descriptor), its exit watcher, and the protocol's life cycle (Twisted's
/// <c>process.Process</c>). <c>ProcessEnded</c> comes once the child is reaped and every pipe is closed.
/// </summary>
/// <remarks>Threading: reactor thread only.</remarks>
internal sealed class ProcessTransport : IProcessTransport, IPipeOwner, IFlushable
{
    private readonly ITransportHost _host;
    private readonly IProcessSyscalls _process;
    private readonly SortedDictionary<int, ProcessReader> _readers = new();
    private readonly SortedDictionary<int, ProcessWriter> _writers = new();
    private readonly List<int> _closeRequests = new();
    private readonly bool _terminal;
    private IProcessProtocol _protocol;
    private IExitWatcher? _exitWatcher;
    private Failure? _exitReason;
    private bool _ended;
    private bool _paused;
    private bool _flushRequested;
    private readonly int _pid;

    /// <summary>Wraps the child <paramref name="pid"/>; pipes and the exit watcher are attached by the spawner.</summary>
    public ProcessTransport(ITransportHost host, IProcessSyscalls process, IProcessProtocol protocol, int pid, bool terminal)
    {
        _host = host;
        _process = process;
        _protocol = protocol;
        _pid = pid;
        _terminal = terminal;
    }

    /// <inheritdoc/>
    public int? Pid => _exitReason is null ? _pid : null;

    /// <summary>True once ProcessEnded was delivered.</summary>
    public bool Ended => _ended;

    /// <summary>Adds our end of a pipe the child writes.</summary>
    public void AddReader(int fd, int childFd) => _readers[childFd] = new ProcessReader(_host, this, fd, childFd);

    /// <summary>Adds our end of a pipe the child reads.</summary>
    public void AddWriter(int fd, int childFd) => _writers[childFd] = new ProcessWriter(_host, this, fd, childFd, watchForClose: !_terminal);

    /// <summary>Attaches how the exit is noticed.</summary>
    public void SetExitWatcher(IExitWatcher watcher) => _exitWatcher = watcher;

    /// <summary>Tells the protocol the child started; an exception from it is logged.</summary>
    public void Start() => RunUserCode(() => _protocol.MakeConnection(this), "MakeConnection");

    // ---- writing ----

    private ProcessWriter? Stdin => _writers.GetValueOrDefault(0);

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<byte> data) => Stdin?.Write(data);

    /// <inheritdoc/>
    public void WriteToChild(int childFd, ReadOnlySpan<byte> data)
    {
        if (_writers.TryGetValue(childFd, out var writer))
        {
            writer.Write(data);
            return;
        }
        if (_readers.ContainsKey(childFd)) throw new ArgumentException($"The child's descriptor {childFd} is a pipe we read, not one we write.", nameof(childFd));
        // A pipe already closed: dropped, as writes after LoseConnection are on every transport.
    }

    /// <inheritdoc/>
    public void RegisterProducer(IProducer producer, bool streaming)
    {
        if (Stdin is { } stdin)
        {
            stdin.RegisterProducer(producer, streaming);
            return;
        }
        ArgumentNullException.ThrowIfNull(producer);
        producer.StopProducing();
    }

    /// <inheritdoc/>
    public void UnregisterProducer() => Stdin?.UnregisterProducer();

    /// <inheritdoc/>
    public long PendingBytes => Stdin?.PendingBytes ?? 0;

    /// <inheritdoc/>
    public long HighWaterMark
    {
        get => Stdin?.HighWaterMark ?? IWriteBuffer.DefaultHighWaterMark;
        set
        {
            foreach (var writer in _writers.Values) writer.HighWaterMark = value;
        }
    }

    /// <inheritdoc/>
    public long LowWaterMark
    {
        get => Stdin?.LowWaterMark ?? 0;
        set
        {
            foreach (var writer in _writers.Values) writer.LowWaterMark = value;
        }
    }

    // ---- closing ----

    /// <inheritdoc/>
    public void CloseStdin()
    {
        // A terminal has no separate stdin to close: closing the master would end the session
        // (Twisted's PTYProcess.closeStdin does nothing either). Write the EOF character instead.
        if (_terminal) return;
        CloseChildFd(0);
    }

    /// <inheritdoc/>
    public void CloseStdout() => CloseChildFd(1);

    /// <inheritdoc/>
    public void CloseStderr() => CloseChildFd(2);

    /// <inheritdoc/>
    public void CloseChildFd(int childFd)
    {
        if (_writers.TryGetValue(childFd, out var writer))
        {
            writer.CloseWhenDrained();
            return;
        }
        if (_readers.ContainsKey(childFd) && !_closeRequests.Contains(childFd))
        {
            // Closed from the loop, so the protocol never hears ChildConnectionLost inside its own call.
            _closeRequests.Add(childFd);
            RequestFlush();
        }
    }

    /// <inheritdoc/>
    public void LoseConnection()
    {
        foreach (var childFd in _writers.Keys.ToArray()) CloseChildFd(childFd);
        foreach (var childFd in _readers.Keys.ToArray()) CloseChildFd(childFd);
    }

    /// <inheritdoc/>
    public void FlushPending()
    {
        _flushRequested = false;
        var requests = _closeRequests.ToArray();
        _closeRequests.Clear();
        foreach (var childFd in requests)
        {
            if (_readers.TryGetValue(childFd, out var reader)) reader.Close();
        }
    }

    private void RequestFlush()
    {
        if (_flushRequested) return;
        _flushRequested = true;
        // A zero-delay call rather than the loop's end-of-iteration flush: a request made while the
        // loop is flushing before it waits would only be served after the wait, and nothing may
        // wake it (a paused stdin, an idle child).
        _host.CallLater(TimeSpan.Zero, FlushPending);
    }

    // ---- reading ----

    /// <inheritdoc/>
    public void PauseProducing()
    {
        _paused = true;
        foreach (var reader in _readers.Values) reader.Pause();
    }

    /// <inheritdoc/>
    public void ResumeProducing()
    {
        if (!_paused) return;
        _paused = false;
        foreach (var reader in _readers.Values.ToArray()) reader.Resume();
    }

    /// <inheritdoc/>
    public void StopProducing() => LoseConnection();

    // ---- signals ----

    /// <inheritdoc/>
    public void SignalProcess(string signalName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signalName);
        var name = signalName.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? signalName[3..] : signalName;
        if (!ProcessConstants.Signals.TryGetValue(name, out var number))
        {
            throw new ArgumentException($"'{signalName}' is not a signal name this OS knows; use one of {string.Join(", ", ProcessConstants.Signals.Keys)}.", nameof(signalName));
        }
        SignalProcess(number);
    }

    /// <inheritdoc/>
    public void SignalProcess(int signal)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(signal);
        if (_exitReason is not null || _exitWatcher is null) throw new ProcessExitedAlready();
        if (_exitWatcher.Signal(_pid, signal, out var errno) < 0)
        {
            // A zombie not yet reaped: it has exited, the reaping is on its way.
            if (errno == ProcessConstants.ESRCH) throw new ProcessExitedAlready();
            throw new InvalidOperationException($"Signalling process {_pid} with {signal} failed: {errno}");
        }
    }

    // ---- life cycle ----

    /// <summary>The child was reaped with <paramref name="status"/> (null: someone else reaped it).</summary>
    public void Reaped(ChildExitStatus? status, Errno errno)
    {
        if (_exitReason is not null) return;
        if (status is null)
        {
            NetLog.ProcessReapedElsewhere(_host.Logger, _pid, errno);
        }
        Exception reason = status switch
        {
            { ExitCode: 0 } s => new ProcessDone(s.Status),
            { } s => new ProcessTerminated(s.ExitCode, s.Signal, s.Status),
            null => new ProcessTerminated(),
        };
        _exitReason = new Failure(reason);
        RunUserCode(() => _protocol.ProcessExited(_exitReason), "ProcessExited");
        MaybeEnded();
    }

    /// <inheritdoc/>
    public void DataReceived(int childFd, ReadOnlySpan<byte> data)
    {
        try
        {
            _protocol.ChildDataReceived(childFd, data);
        }
        catch (Exception ex)
        {
            LogUserError(ex, "ChildDataReceived");
        }
    }

    /// <inheritdoc/>
    public void PipeClosed(int childFd)
    {
        _readers.Remove(childFd);
        _writers.Remove(childFd);
        RunUserCode(() => _protocol.ChildConnectionLost(childFd), "ChildConnectionLost");
        if (_terminal)
        {
            // One terminal, two descriptors of ours: when either side goes, the session is over.
            foreach (var reader in _readers.Values.ToArray()) reader.Close();
            foreach (var writer in _writers.Values.ToArray()) writer.Close();
        }
        MaybeEnded();
    }

    private void MaybeEnded()
    {
        if (_ended || _exitReason is null || _readers.Count > 0 || _writers.Count > 0) return;
        _ended = true;
        var protocol = _protocol;
        _protocol = DetachedProcessProtocol.Instance;
        RunUserCode(() => protocol.ProcessEnded(_exitReason), "ProcessEnded");
    }

    /// <inheritdoc/>
    public bool RunUserCode(Action action, string what)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex)
        {
            LogUserError(ex, what);
            return false;
        }
    }

    private void LogUserError(Exception ex, string callback) =>
        NetLog.ProcessProtocolFailed(_host.Logger, ex, callback, _protocol.GetType().FullName, _pid);

    /// <inheritdoc/>
    public override string ToString() => $"Process({_pid})";

    private sealed class DetachedProcessProtocol : IProcessProtocol
    {
        public static readonly DetachedProcessProtocol Instance = new();

        public void MakeConnection(IProcessTransport transport) { }

        public void ChildDataReceived(int childFd, ReadOnlySpan<byte> data) { }

        public void ChildConnectionLost(int childFd) { }

        public void ProcessExited(Failure reason) { }

        public void ProcessEnded(Failure reason) { }
    }
}
