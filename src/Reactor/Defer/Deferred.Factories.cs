using Microsoft.Extensions.Logging;
using Reactor.Defer.Internal;
using Reactor.Logging;

namespace Reactor.Defer;

public abstract partial class Deferred
{
    private static ILogger _logger = StandardErrorLogger.Instance;

    /// <summary>
    /// Records where each Deferred is created and first fired, for <see cref="AlreadyCalledError"/> and
    /// unhandled-error reports (Twisted's <c>setDebugging</c>). Costs a stack capture per Deferred: off by default.
    /// </summary>
    /// <remarks>
    /// Process-wide, like Twisted's <c>setDebugging</c>: it is a debugging switch flipped once (at
    /// start-up or in a test), and a Deferred is often created where no reactor is known, so a
    /// per-reactor setting would cost every Deferred's creation a lookup to answer a question that
    /// almost always has the same answer. It applies to Deferreds created while it is on.
    /// </remarks>
    public static bool Debug { get; set; }

    /// <summary>
    /// The process-wide default for "Unhandled error in Deferred" reports (critical) and canceller
    /// errors: where they go when the Deferred's chain did not end on a reactor's thread. Standard
    /// error by default (as Twisted prints them); set it once at start-up to choose
    /// (<c>NullLogger.Instance</c> for silence).
    /// </summary>
    /// <remarks>
    /// A chain that ends on an unhandled failure while a reactor runs (or iterates) on that thread is
    /// reported to that reactor's <see cref="ReactorLoop.Logger"/> instead: with several reactors,
    /// each one's Deferreds report to its own logger. Reactors never set this property. It is read
    /// when the report is written, so a value set after the Deferred failed still applies.
    /// </remarks>
    public static ILogger Logger
    {
        get => _logger;
        set => _logger = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Where a report made on this thread goes now: the running reactor's logger, else <see cref="Logger"/>.</summary>
    internal static ILogger LoggerOfThisThread => ReactorThreadLogger.Current ?? _logger;

    /// <summary>A Deferred that has already fired with <paramref name="result"/> (Twisted's <c>succeed</c>).</summary>
    public static Deferred<T> Succeed<T>(T result)
    {
        var d = new Deferred<T>();
        d.Callback(result);
        return d;
    }

    /// <summary>A Deferred that has already failed with <paramref name="exception"/> (Twisted's <c>fail</c>).</summary>
    public static Deferred<T> Fail<T>(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var d = new Deferred<T>();
        d.Errback(exception);
        return d;
    }

    /// <summary>A Deferred that has already failed with <paramref name="failure"/> (Twisted's <c>fail</c>).</summary>
    public static Deferred<T> Fail<T>(Failure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var d = new Deferred<T>();
        d.Errback(failure);
        return d;
    }

    /// <summary>
    /// Calls <paramref name="function"/> and wraps its outcome in a Deferred (Twisted's <c>maybeDeferred</c>):
    /// a value succeeds, an exception fails, a returned <see cref="Failure"/> fails with it, and a
    /// returned Deferred is the result.
    /// </summary>
    public static Deferred<T> MaybeDeferred<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        T result;
        try
        {
            result = function();
        }
        catch (Exception e)
        {
            return Fail<T>(e);
        }
        return result switch
        {
            Deferred<T> same => same,
            Deferred other => Adopt<T>(other),
            Failure failure => Fail<T>(failure),
            _ => Succeed(result),
        };
    }

    /// <summary>Calls <paramref name="function"/>, which returns a Deferred; an exception becomes a failed Deferred.</summary>
    public static Deferred<T> MaybeDeferred<T>(Func<Deferred<T>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        try
        {
            return function() ?? Succeed<T>(default!);
        }
        catch (Exception e)
        {
            return Fail<T>(e);
        }
    }

    /// <summary>Calls <paramref name="action"/>: a Deferred fired with null, or failed with its exception.</summary>
    public static Deferred<object?> MaybeDeferred(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            action();
        }
        catch (Exception e)
        {
            return Fail<object?>(e);
        }
        return Succeed<object?>(null);
    }

    /// <summary>
    /// Runs <paramref name="asyncMethod"/> and returns a Deferred for its outcome (Twisted's
    /// <c>ensureDeferred</c> / <c>inlineCallbacks</c>). Cancelling the Deferred cancels the Deferreds
    /// the method is awaiting at that moment (also inside async methods it calls): the method sees
    /// <see cref="CancelledError"/> at its <c>await</c> and may handle it.
    /// </summary>
    public static Deferred<T> EnsureDeferred<T>(Func<Task<T>> asyncMethod)
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        var run = new AsyncMethodRun<T>();
        var outer = AsyncMethodContext.Current;
        AsyncMethodContext.Current = run.Context;
        Task<T> task;
        try
        {
            task = asyncMethod();
        }
        catch (Exception e)
        {
            run.Deferred.Errback(e);
            return run.Deferred;
        }
        finally
        {
            AsyncMethodContext.Current = outer;
        }
        run.Watch(task ?? throw new InvalidOperationException("The async method returned a null Task."));
        return run.Deferred;
    }

    /// <summary>Runs an async method with no result; its Deferred fires with null.</summary>
    public static Deferred<object?> EnsureDeferred(Func<Task> asyncMethod)
    {
        ArgumentNullException.ThrowIfNull(asyncMethod);
        return EnsureDeferred<object?>(async () =>
        {
            await asyncMethod().ConfigureAwait(true);
            return null;
        });
    }

    /// <summary>
    /// A Deferred for a task that is already running. When the task completes on another thread, the
    /// Deferred fires on the <see cref="SynchronizationContext"/> current at this call (the reactor
    /// thread, when called there), otherwise where the task completes.
    /// </summary>
    /// <remarks>A task cannot be stopped: cancelling the Deferred errbacks it with <see cref="CancelledError"/> and ignores the task's outcome.</remarks>
    public static Deferred<T> FromTask<T>(Task<T> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var d = new Deferred<T>();
        ObserveTask(d, task);
        return d;
    }

    /// <summary>A Deferred for a task with no result, fired with null.</summary>
    public static Deferred<object?> FromTask(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return FromTask(WithNullResult(task));
    }

    /// <summary>
    /// Starts <paramref name="start"/> with a <see cref="CancellationToken"/> that <see cref="Cancel"/>
    /// triggers, and returns a Deferred for its task.
    /// </summary>
    public static Deferred<T> FromTask<T>(Func<CancellationToken, Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var source = new CancellationTokenSource();
        var d = new Deferred<T>(_ => source.Cancel());
        Task<T> task;
        try
        {
            task = start(source.Token);
        }
        catch (Exception e)
        {
            source.Dispose();
            d.Errback(e);
            return d;
        }
        d.AddBoth(source.Dispose);
        ObserveTask(d, task);
        return d;
    }

    private static void ObserveTask<T>(Deferred<T> d, Task<T> task)
    {
        if (task.IsCompleted)
        {
            TaskOutcome.Fire(d, task);
            return;
        }
        var context = SynchronizationContext.Current;
        if (context is not null && context.GetType() == typeof(SynchronizationContext)) context = null;
        task.ContinueWith(
            static (t, state) =>
            {
                var (deferred, ctx) = ((Deferred<T>, SynchronizationContext?))state!;
                if (ctx is null || ReferenceEquals(SynchronizationContext.Current, ctx))
                {
                    TaskOutcome.Fire(deferred, t);
                }
                else
                {
                    ctx.Post(static s => { var (dd, tt) = ((Deferred<T>, Task<T>))s!; TaskOutcome.Fire(dd, tt); }, (deferred, t));
                }
            },
            (d, context),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static async Task<object?> WithNullResult(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    /// <summary>A Deferred of <typeparamref name="T"/> that waits on <paramref name="other"/> (of any type) and takes its result.</summary>
    private static Deferred<T> Adopt<T>(Deferred other)
    {
        var d = new Deferred<T>();
        d.WaitOn(other);
        return d;
    }
}
