using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Net.Internal;
using Reactor.Errors;
using Reactor.Logging;
using Reactor.Selectors;
using Reactor.Time.Internal;
using Reactor.Time;

namespace Reactor;

/// <summary>
/// A reactor: one thread runs this loop, which waits on a selector and dispatches readiness to
/// descriptors, runs timed calls and calls handed over from other threads (Twisted's reactor).
/// </summary>
/// <remarks>
/// <para>
/// A reactor is an ordinary object: several may run in one process, each on its own thread, and
/// nothing is global. <see cref="Dispose"/> releases its selector and wake-up descriptors.
/// Everything except <see cref="CallFromThread(Action)"/> (and <see cref="Stop"/>, which hands itself over)
/// must be called on the reactor's thread.
/// </para>
/// <para>
/// One iteration: run the calls from threads queued before it started; run one pass of due timed
/// calls (calls scheduled during the pass wait for the next one); if <see cref="Stop"/> was called,
/// fire the shutdown event; flush transports with pending output; wait on the selector until the
/// next timed call (not at all if calls are pending, without limit if nothing is scheduled);
/// dispatch what it reports; flush again.
/// </para>
/// <para>
/// This type is partial: the network layers add <c>ListenTcp</c>, <c>ConnectTcp</c> and the like
/// in their own files.
/// </para>
/// </remarks>
public sealed partial class ReactorLoop : IReactorTime, IReactorFDSet, IReactorFromThreads, IReactorCore, IDisposable
{
    private readonly ISelector _selector;
    private readonly SelectorEvent[] _events;
    private readonly TimerQueue _timers;
    private readonly ThreadCallQueue _threadCalls = new();
    private readonly SystemEventTriggers _triggers;
    private readonly DescriptorTable _descriptors = new();
    private readonly List<IFlushable> _flushQueue = new();
    private readonly ReactorSynchronizationContext _synchronizationContext;
    private readonly long _origin = Stopwatch.GetTimestamp();
    private readonly bool? _installSignalHandlers;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly ActivitySource _activities;
    private readonly CoreInstruments _coreInstruments;
    private int _threadId;
    private volatile bool _disposed; // read by CallFromThread on other threads

    private ReactorLoop(ReactorOptions options)
    {
        if (options.ReadBufferSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.ReadBufferSize, "ReadBufferSize must be positive.");
        if (options.MaxEventsPerWait <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxEventsPerWait, "MaxEventsPerWait must be positive.");
        options.ValidateHardening();
        options.ValidateHouse();
        Options = options;

        Logger = options.Logger
            ?? options.LoggerFactory?.CreateLogger("Reactor.Core.ReactorLoop")
            ?? StandardErrorLogger.Instance;
        // A logger that throws (a sink that cannot be opened while out of descriptors) must never
        // escape into the loop: everything the reactor and its transports log goes through a guard.
        if (Logger is not StandardErrorLogger) Logger = new GuardedLogger(Logger);
        _selector = options.SelectorFactory?.Invoke() ?? SelectorFactory.CreateLogged(options.Selector, Logger);
        // Pinned: the selector and the transports hand these to the kernel on every call.
        _events = GC.AllocateArray<SelectorEvent>(options.MaxEventsPerWait, pinned: true);
        ReadBuffer = GC.AllocateUninitializedArray<byte>(options.ReadBufferSize, pinned: true);
        _timers = new TimerQueue(this, Logger);
        _triggers = new SystemEventTriggers(Logger);
        _synchronizationContext = new ReactorSynchronizationContext(this);
        _threadId = Environment.CurrentManagedThreadId;
        _installSignalHandlers = options.InstallSignalHandlers;
        // Metrics and traces: a Meter from the host's factory, or our own (never a static one, so
        // each reactor, and each test, is measured apart).
        _ownsMeter = options.MeterFactory is null;
        _meter = options.MeterFactory?.Create(new MeterOptions(ReactorInstrumentation.MeterName) { Tags = options.MeterTags })
            ?? new Meter(new MeterOptions(ReactorInstrumentation.MeterName) { Tags = options.MeterTags });
        _activities = new ActivitySource(ReactorInstrumentation.ActivitySourceName);
        _coreInstruments = new CoreInstruments(_meter, () => _threadCalls.PendingCount);
        NetInstruments = new NetInstruments(_meter, _activities);
        _timers.Lateness = _coreInstruments.TimerLateness;
    }

    /// <summary>Creates a reactor with its own selector (see <see cref="ReactorOptions.Selector"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="PlatformNotSupportedException">On Windows: the engine runs on Linux, macOS and FreeBSD.</exception>
    public static ReactorLoop Create(ReactorOptions? options = null)
    {
        ThrowIfUnsupported(OperatingSystem.IsWindows());
        // Before any descriptor can run out: a connection's first write or close must not need a file (issue 12).
        Net.Internal.ConnectionPathAssemblies.EnsureLoaded();
        return new(options ?? new ReactorOptions());
    }

    /// <summary>This reactor's Meter (tests listen to it alone).</summary>
    internal Meter Meter => _meter;

    /// <summary>The network layer's instruments (connections, bytes, TLS, name resolution) on this reactor's Meter.</summary>
    internal NetInstruments NetInstruments { get; }

    /// <summary>The options this reactor was created with.</summary>
    internal ReactorOptions Options { get; }

    /// <summary>The logger of this reactor; transports log through it too.</summary>
    public ILogger Logger { get; }

    /// <summary>The selector backend this reactor runs on.</summary>
    public SelectorKind SelectorKind => _selector.Kind;

    /// <summary>The <see cref="SynchronizationContext"/> installed on the reactor thread while it runs.</summary>
    public SynchronizationContext SynchronizationContext => _synchronizationContext;

    /// <summary>
    /// The one read buffer of this reactor (<see cref="ReactorOptions.ReadBufferSize"/>, pinned).
    /// A transport receives into it and hands the filled part to its protocol; the contents are
    /// valid only until the next read by any transport, so a protocol that keeps bytes copies them.
    /// </summary>
    internal byte[] ReadBuffer { get; }

    /// <summary>Whether the calling thread is the one that runs (or last ran, or created) this reactor.</summary>
    internal bool IsInReactorThread => Environment.CurrentManagedThreadId == Volatile.Read(ref _threadId);

    /// <summary>
    /// Queues <paramref name="target"/> to be flushed at the end of this iteration (after the
    /// dispatch, before the next wait). The caller asks at most once per iteration (it keeps its
    /// own "flush requested" flag and clears it in <see cref="IFlushable.FlushPending"/>).
    /// </summary>
    internal void RequestFlush(IFlushable target) => _flushQueue.Add(target);

    /// <summary>Runs user code; an exception is logged with its stack (as "Unhandled error in {what}") and swallowed.</summary>
    /// <returns>False if the code threw.</returns>
    internal bool RunUserCode(Action action, string what)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception ex)
        {
            CoreLog.UserCodeFailed(Logger, ex, what);
            return false;
        }
    }

    /// <summary>Runs user code with a state argument (no closure needed); exceptions are logged and swallowed.</summary>
    /// <returns>False if the code threw.</returns>
    internal bool RunUserCode<TState>(Action<TState> action, TState state, string what)
    {
        try
        {
            action(state);
            return true;
        }
        catch (Exception ex)
        {
            CoreLog.UserCodeFailed(Logger, ex, what);
            return false;
        }
    }

    /// <summary>Logs an exception from user code that the caller caught itself.</summary>
    internal void LogUserCodeFailure(Exception exception, string what) => CoreLog.UserCodeFailed(Logger, exception, what);

    /// <summary>
    /// Disconnects every remaining descriptor (ConnectionLost) and releases the selector and its
    /// wake-up descriptors.
    /// </summary>
    /// <exception cref="ReactorStateError">The reactor is running: stop it first.</exception>
    public void Dispose()
    {
        if (_disposed) return;
        if (_started || _iterating) throw new ReactorStateError("Stop the reactor before disposing it.");
        DisconnectAll();
        _disposed = true;
        _selector.Dispose();
        _activities.Dispose();
        if (_ownsMeter) _meter.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void FlushPending()
    {
        int n = _flushQueue.Count;
        if (n == 0) return;
        // Only the ones queued so far: one that asks again while flushing is served next time,
        // so a flush can never spin the loop.
        for (int i = 0; i < n; i++)
        {
            var target = _flushQueue[i];
            try
            {
                target.FlushPending();
            }
            catch (Exception ex)
            {
                CoreLog.UserCodeFailed(Logger, ex, "a flush");
            }
        }
        _flushQueue.RemoveRange(0, n);
    }
}
