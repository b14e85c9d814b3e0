using System.Runtime.ExceptionServices;
using Reactor.Core;
using Reactor.Errors;

namespace Reactor;

/// <summary>
/// Many loops, one program: N reactors, each with its own selector, each run on its own thread, so
/// a server uses N cores. A connection lives on one loop for its whole life, so Twisted's
/// single-thread guarantee holds per connection (and per loop); loops talk to each other through
/// <see cref="ReactorLoop.CallFromThread(Action)"/>. One shutdown stops them all.
/// </summary>
/// <remarks>
/// <para>
/// Set the group up before <see cref="Run"/> (listeners, timed calls, clients on <see cref="Next"/>),
/// then call <see cref="Run"/>: the first loop runs on the calling thread (on the main thread it
/// handles SIGINT and SIGTERM, as a single reactor does), the others on threads of their own.
/// When any loop stops — <see cref="Stop"/>, a signal, or user code calling one loop's
/// <see cref="ReactorLoop.Stop"/> — every loop runs its shutdown (triggers, then its connections
/// closed), and <see cref="Run"/> returns once all have finished.
/// </para>
/// <para>
/// Code that several loops share (a counter, a cache) is called from several threads at once and
/// must be thread-safe; code that belongs to one loop (its protocols, its factory, its timers) is not.
/// </para>
/// </remarks>
public sealed partial class ReactorGroup : IDisposable
{
    private readonly ReactorLoop[] _loops;
    private readonly List<Action> _onDispose = new();
    private int _next = -1;
    private int _state; // 0 idle, 1 running, 2 ran, 3 disposed

    private ReactorGroup(ReactorLoop[] loops) => _loops = loops;

    /// <summary>
    /// Creates <paramref name="loopCount"/> loops from <paramref name="options"/> (each gets its own
    /// selector, read buffer and Meter tagged <c>reactor.loop</c> = its index).
    /// </summary>
    /// <param name="loopCount">How many loops: usually the number of cores the program may use.</param>
    /// <param name="options">The options every loop is created with; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loopCount"/> is less than 1.</exception>
    /// <exception cref="PlatformNotSupportedException">On Windows, as <see cref="ReactorLoop.Create"/>.</exception>
    public static ReactorGroup Create(int loopCount, ReactorOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loopCount, 1);
        options ??= new ReactorOptions();
        var loops = new ReactorLoop[loopCount];
        try
        {
            for (var i = 0; i < loopCount; i++) loops[i] = ReactorLoop.Create(options.ForGroupLoop(i));
        }
        catch
        {
            foreach (var loop in loops) loop?.Dispose();
            throw;
        }
        var group = new ReactorGroup(loops);
        // One loop's shutdown is everyone's: it asks the others before its own triggers run.
        foreach (var loop in loops) loop.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, group.StopAll);
        return group;
    }

    /// <summary>The loops, in order; the first is the one <see cref="Run"/> runs on the calling thread.</summary>
    public IReadOnlyList<ReactorLoop> Loops => _loops;

    /// <summary>How many loops the group has.</summary>
    public int Count => _loops.Length;

    /// <summary>True from <see cref="Run"/> until every loop has stopped.</summary>
    public bool Running => Volatile.Read(ref _state) == 1;

    /// <summary>
    /// The next loop in turn (thread-safe): where to put the next client connection or piece of work
    /// so that the loops share it.
    /// </summary>
    public ReactorLoop Next()
    {
        var turn = (uint)Interlocked.Increment(ref _next);
        return _loops[turn % (uint)_loops.Length];
    }

    /// <summary>
    /// Runs every loop until the group stops: the first on this thread, the others on threads named
    /// <c>reactor-1</c>, <c>reactor-2</c>… Returns when all have finished their shutdown.
    /// </summary>
    /// <exception cref="ReactorStateError">The group is running or has already run (a loop runs once).</exception>
    /// <exception cref="ObjectDisposedException">The group was disposed.</exception>
    /// <remarks>An exception that ends one loop's Run stops the others, and is rethrown here once all have ended.</remarks>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 3, this);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) throw new ReactorStateError("A reactor group runs once.");
        var errors = new Exception?[_loops.Length];
        var threads = new Thread[_loops.Length - 1];
        try
        {
            for (var i = 1; i < _loops.Length; i++)
            {
                var index = i;
                threads[i - 1] = new Thread(() => RunLoop(index, errors)) { Name = $"reactor-{i}", IsBackground = true };
                threads[i - 1].Start();
            }
            RunLoop(0, errors);
        }
        finally
        {
            foreach (var thread in threads) thread?.Join();
            Volatile.Write(ref _state, 2);
        }
        if (Array.Find(errors, e => e is not null) is { } first) ExceptionDispatchInfo.Capture(first).Throw();
    }

    /// <summary>
    /// Stops every loop (any thread, any number of times): each runs its shutdown triggers, closes its
    /// connections and listeners, and <see cref="Run"/> returns once all have.
    /// </summary>
    public void Stop() => StopAll();

    /// <summary>Disposes every loop (after <see cref="Run"/> has returned, or if it never ran).</summary>
    /// <exception cref="ReactorStateError">The group is running: stop it first.</exception>
    public void Dispose()
    {
        var state = Volatile.Read(ref _state);
        if (state == 3) return;
        if (state == 1) throw new ReactorStateError("Stop the reactor group before disposing it.");
        Volatile.Write(ref _state, 3);
        foreach (var loop in _loops) loop.Dispose();
        // Connections handed to a loop that had stopped before it could take them: closed, not leaked.
        foreach (var action in _onDispose) action();
    }

    /// <summary>Registers work for <see cref="Dispose"/>, after the loops are disposed.</summary>
    internal void OnDispose(Action action) => _onDispose.Add(action);

    /// <summary>Throws unless the group is being set up (not running, not run, not disposed).</summary>
    internal void CheckSettingUp(string member)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 3, this);
        if (Volatile.Read(ref _state) != 0)
            throw new ReactorStateError($"{member} sets a reactor group up: call it before Run.");
    }

    private void RunLoop(int index, Exception?[] errors)
    {
        try
        {
            _loops[index].Run();
        }
        catch (Exception ex)
        {
            errors[index] = ex;
        }
        finally
        {
            // However this loop ended (stopped, crashed, threw), the others end too.
            StopAll();
        }
    }

    private void StopAll()
    {
        foreach (var loop in _loops) loop.StopSoon();
    }
}
