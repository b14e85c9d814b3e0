using System.Diagnostics.CodeAnalysis;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using Reactor.Errors;

namespace Reactor.Defer;

/// <summary>
/// An exception together with where it was raised: what travels down a Deferred's errback chain
/// and what <c>ConnectionLost</c> receives (Twisted's <c>twisted.python.failure.Failure</c>).
/// </summary>
public sealed class Failure
{
    /// <summary>Wraps <paramref name="exception"/>. Its stack trace is kept as thrown.</summary>
    public Failure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Value = exception;
        if (exception.StackTrace is null)
        {
            // Never thrown: record where the Failure was made so the traceback still says something.
            // Only the frames are captured here; reading file and line numbers from the PDBs (tens
            // of microseconds) and formatting wait until someone asks. Every closed connection
            // makes a Failure, so this is on the connection churn path.
            _creationFrames = new StackTrace(1, fNeedFileInfo: false);
        }
    }

    /// <summary>
    /// Wraps a reason the reactor itself found (a peer's reset, an end of file, a close): the frames
    /// of the reactor's own dispatch say nothing a user can act on, and walking the stack cost
    /// about a third of the loop's CPU per connection on the connect-echo-reset workload
    /// (docs/guides/performance.md), so none are captured.
    /// </summary>
    internal static Failure FromReactor(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new Failure(exception, withoutCreationStack: true);
    }

    // The flag only tells this constructor apart from the public one.
    private Failure(Exception exception, bool withoutCreationStack) => Value = exception;

    private readonly StackTrace? _creationFrames;
    private string? _creationStack;

    /// <summary>The exception this failure carries.</summary>
    public Exception Value { get; }

    /// <summary>The exception's type.</summary>
    public Type Type => Value.GetType();

    /// <summary>Where the Failure was created (method names), when the exception itself was never thrown.</summary>
    public string? CreationStack => _creationStack ??= _creationFrames?.ToString();

    /// <summary>Returns the first of <paramref name="types"/> that the exception is an instance of, or null.</summary>
    public Type? Check(params Type[] types)
    {
        foreach (var t in types)
        {
            if (t.IsInstanceOfType(Value)) return t;
        }
        return null;
    }

    /// <summary>
    /// Returns the first of <paramref name="types"/> that matches, and rethrows the original exception
    /// (stack preserved) if none does — the idiom for errbacks that handle only some errors.
    /// </summary>
    public Type Trap(params Type[] types)
    {
        var match = Check(types);
        if (match is null) Rethrow();
        return match!;
    }

    /// <summary>Throws the original exception with its original stack trace.</summary>
    [DoesNotReturn]
    public void Rethrow() => ExceptionDispatchInfo.Capture(Value).Throw();

    /// <summary>The exception's type, message and stack (including inner exceptions), as text.</summary>
    public string GetTraceback()
    {
        var sb = new StringBuilder();
        // Twisted says "failure with no frames" only when there is no stack; a thrown exception has one.
        sb.Append(Value.StackTrace is null ? "Traceback (failure with no frames): " : "Traceback: ").AppendLine(Type.FullName);
        sb.AppendLine(Value.ToString());
        if (CreationStack is not null)
        {
            sb.AppendLine("Failure created at:");
            sb.Append(CreationStack);
        }
        return sb.ToString();
    }

    /// <summary>A short description: the exception type and message.</summary>
    public string GetErrorMessage() => $"{Type.Name}: {Value.Message}";

    /// <inheritdoc/>
    public override string ToString() => $"[Failure instance: {GetErrorMessage()}]";
}
