namespace Reactor.Defer;

/// <summary>.NET cancellation for Deferreds.</summary>
public static class DeferredCancellationExtensions
{
    /// <summary>
    /// Cancels <paramref name="deferred"/> (<see cref="Deferred.Cancel"/>) when
    /// <paramref name="cancellationToken"/> is cancelled before it fires; returns the same Deferred.
    /// </summary>
    /// <remarks>
    /// Deferreds are not thread-safe. The cancellation runs on the <see cref="SynchronizationContext"/>
    /// current at this call — the reactor thread when called there — however the token is cancelled
    /// (posted when cancelled from another thread, at once when cancelled on that thread). Without a
    /// context it runs on the cancelling thread. The registration is dropped when the Deferred fires.
    /// </remarks>
    public static Deferred<T> WithCancellation<T>(this Deferred<T> deferred, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deferred);
        if (!cancellationToken.CanBeCanceled || deferred.Called) return deferred;
        if (cancellationToken.IsCancellationRequested)
        {
            deferred.Cancel();
            return deferred;
        }
        var context = SynchronizationContext.Current;
        if (context is not null && context.GetType() == typeof(SynchronizationContext)) context = null;
        var registration = cancellationToken.Register(static state =>
        {
            var (d, ctx) = ((Deferred, SynchronizationContext?))state!;
            if (ctx is null || ReferenceEquals(SynchronizationContext.Current, ctx)) d.Cancel();
            else ctx.Post(static s => ((Deferred)s!).Cancel(), d);
        }, ((Deferred)deferred, context));
        deferred.AddBoth(registration.Dispose);
        return deferred;
    }
}
