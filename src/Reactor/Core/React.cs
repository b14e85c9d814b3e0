using Microsoft.Extensions.Logging;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Core.Internal;

namespace Reactor.Core;

/// <summary>
/// Twisted's <c>task.react</c>: run a reactor until a main function's Deferred (or Task) completes, then
/// stop it and turn the outcome into a process exit code.
/// </summary>
/// <remarks>
/// <para>
/// The main function is called as soon as the reactor runs, on its thread (Twisted calls it just
/// before <c>run</c>), so an async main resumes on the reactor after each await; it may fire synchronously.
/// When its result arrives the reactor is stopped once — not at all if it is already shutting down
/// (for instance after Ctrl-C, or because main stopped it itself), in which case <c>React</c> simply
/// returns when the reactor does.
/// </para>
/// <para>
/// Exit code: a result of type <see cref="int"/> is the exit code; any other result is 0. A failure
/// carrying <see cref="ExitCodeException"/> exits with its code (Twisted's <c>SystemExit</c>); any
/// other failure is logged ("main function encountered error") and exits with 1. If the reactor
/// stops before main's result arrives, the code is 0. Return the code from <c>Main</c>:
/// <c>return reactor.React(() => ...);</c>.
/// </para>
/// </remarks>
public static class ReactExtensions
{
    /// <summary>Runs <paramref name="reactor"/> until <paramref name="main"/>'s Deferred fires; returns the exit code.</summary>
    /// <exception cref="ReactorStateError">The reactor is already running.</exception>
    public static int React<T>(this IReactorCore reactor, Func<Deferred<T>> main)
    {
        ArgumentNullException.ThrowIfNull(reactor);
        ArgumentNullException.ThrowIfNull(main);
        if (reactor.Running) throw new ReactorStateError("The reactor is already running.");
        int code = 0;
        bool stopping = false;
        reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => stopping = true);

        void Finish(object? result, bool stopReactor)
        {
            if (stopReactor)
            {
                try
                {
                    reactor.Stop();
                }
                catch (ReactorStateError)
                {
                    // Already stopping (Twisted catches ReactorNotRunning here).
                }
            }
            switch (result)
            {
                case Failure { Value: ExitCodeException exit }:
                    code = exit.ExitCode;
                    break;
                case Failure failure:
                    var logger = (reactor as ILoopServices)?.Logger ?? Deferred.Logger;
                    CoreLog.ReactMainFailed(logger, failure.Value);
                    code = 1;
                    break;
                case int value:
                    code = value;
                    break;
            }
        }

        // Called once running, on the reactor thread (Twisted calls main just before run): an async
        // main then resumes on the loop after each await, and its result arrives on the loop thread.
        reactor.CallWhenRunning(() => Deferred.MaybeDeferred(main).AddBoth<object?>(result =>
        {
            if (stopping)
            {
                Finish(result, stopReactor: false);
            }
            else
            {
                reactor.CallWhenRunning(() => Finish(result, stopReactor: true));
            }
            return null; // the outcome is handled here: a failure is not reported twice as unhandled
        }));
        reactor.Run();
        return code;
    }

    /// <summary>Runs <paramref name="reactor"/> until the task of the async <paramref name="main"/> completes; returns the exit code.</summary>
    public static int React(this IReactorCore reactor, Func<Task> main)
    {
        ArgumentNullException.ThrowIfNull(main);
        return reactor.React(() => Deferred.EnsureDeferred(main));
    }

    /// <summary>Runs <paramref name="reactor"/> until the async <paramref name="main"/> returns its exit code.</summary>
    public static int React(this IReactorCore reactor, Func<Task<int>> main)
    {
        ArgumentNullException.ThrowIfNull(main);
        return reactor.React(() => Deferred.EnsureDeferred(main));
    }
}

/// <summary>
/// Fail a <see cref="ReactExtensions.React{T}"/> main function with this to exit with a chosen code
/// and without an error being logged (Twisted's <c>SystemExit</c> raised from <c>react</c>'s main).
/// </summary>
public sealed class ExitCodeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExitCodeException(int exitCode) : base($"Exit with code {exitCode}.") => ExitCode = exitCode;

    /// <summary>The process exit code to return.</summary>
    public int ExitCode { get; }
}
