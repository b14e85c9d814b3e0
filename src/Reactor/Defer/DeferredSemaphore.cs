namespace Reactor.Defer;

/// <summary>
/// A semaphore for asynchronous work on one thread (Twisted's <c>defer.DeferredSemaphore</c>): at most
/// <see cref="Limit"/> acquisitions are out at once; the rest wait in order. Typically used through
/// <c>Run</c> to bound how many operations run concurrently.
/// </summary>
/// <remarks>See <see cref="DeferredConcurrencyPrimitive{TSelf}"/> for ordering and cancellation.</remarks>
public sealed class DeferredSemaphore : DeferredConcurrencyPrimitive<DeferredSemaphore>
{
    /// <summary>Creates a semaphore with <paramref name="tokens"/> tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokens"/> is less than 1 (Twisted raises ValueError).</exception>
    public DeferredSemaphore(int tokens)
    {
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "DeferredSemaphore requires tokens >= 1.");
        Tokens = tokens;
        Limit = tokens;
    }

    /// <summary>Tokens currently free (Twisted's <c>tokens</c>).</summary>
    public int Tokens { get; private set; }

    /// <summary>The number of tokens the semaphore was created with (Twisted's <c>limit</c>).</summary>
    public int Limit { get; }

    private protected override bool TryTake()
    {
        if (Tokens == 0) return false;
        Tokens--;
        return true;
    }

    private protected override void Give()
    {
        // Twisted asserts "Someone released me too many times: too many tokens!".
        if (Tokens >= Limit) throw new InvalidOperationException("Someone released me too many times: too many tokens!");
        Tokens++;
    }
}
