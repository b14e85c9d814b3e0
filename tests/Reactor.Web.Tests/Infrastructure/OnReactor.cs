using Reactor.Core;
using Reactor.Defer;

namespace Reactor.Web.Tests.Infrastructure;

/// <summary>Runs Deferred-returning work on a running reactor's thread and waits (bounded) for its outcome.</summary>
internal static class OnReactor
{
    public static T Wait<T>(ReactorLoop reactor, Func<Deferred<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.CallFromThread(() =>
        {
            try
            {
                work().AddCallbacks<object?>(value =>
                {
                    done.TrySetResult(value);
                    return null;
                }, failure =>
                {
                    done.TrySetException(failure.Value);
                    return null;
                });
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        if (!done.Task.Wait(LoopbackServer.Deadline)) Assert.Fail($"no outcome within {LoopbackServer.Deadline.TotalSeconds} s");
        return done.Task.Result;
    }

    public static Exception Failure<T>(ReactorLoop reactor, Func<Deferred<T>> work)
    {
        try
        {
            var value = Wait(reactor, work);
            Assert.Fail($"expected a failure, got {value}");
            return null!;
        }
        catch (AggregateException ex)
        {
            return ex.InnerException!;
        }
    }

    public static T Run<T>(ReactorLoop reactor, Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.CallFromThread(() =>
        {
            try
            {
                done.TrySetResult(work());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        });
        if (!done.Task.Wait(LoopbackServer.Deadline)) Assert.Fail("the reactor did not run the work in time");
        return done.Task.Result;
    }
}
