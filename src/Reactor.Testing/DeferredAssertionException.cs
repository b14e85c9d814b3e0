namespace Reactor.Testing;

/// <summary>
/// Thrown by <see cref="DeferredAssert"/> when a Deferred does not hold the result a test expected
/// (the role of trial's <c>failureException</c>). Any test framework reports it as a failed test
/// with its message.
/// </summary>
public sealed class DeferredAssertionException : Exception
{
    /// <summary>Creates the exception with the assertion's message.</summary>
    /// <param name="message">What was expected and what was found.</param>
    public DeferredAssertionException(string message) : base(message)
    {
    }
}
