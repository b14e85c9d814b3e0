using Reactor.Defer.Internal;

namespace Reactor.Defer;

/// <summary>
/// Records, deterministically, the Deferreds whose chains end on a Failure that nothing handles —
/// the errors that would otherwise only be logged as "Unhandled error in Deferred" whenever the
/// garbage collector gets round to it. Meant for tests:
/// <code>
/// using var unobserved = UnobservedFailures.Track();
/// ... exercise the code ...
/// unobserved.AssertNone(); // throws listing every unhandled failure with its traceback
/// </code>
/// </summary>
/// <remarks>
/// The scope flows with the <see cref="ExecutionContext"/> (like <see cref="AsyncLocal{T}"/>), so
/// parallel tests each see only their own Deferreds, including those fired from continuations of
/// their async code. A failure that is handled before <see cref="Flush"/> is not reported. Flushing
/// disarms the garbage-collection report for the failures it returns.
/// </remarks>
public sealed class UnobservedFailures : IDisposable
{
    private static readonly AsyncLocal<UnobservedFailures?> Current = new();

    private readonly UnobservedFailures? _outer;
    private readonly List<UnhandledFailureReport> _reports = new();
    private readonly object _gate = new();
    private bool _disposed;

    private UnobservedFailures(UnobservedFailures? outer) => _outer = outer;

    /// <summary>Starts recording failures of Deferreds fired in the current execution context.</summary>
    public static UnobservedFailures Track()
    {
        var scope = new UnobservedFailures(Current.Value);
        Current.Value = scope;
        return scope;
    }

    /// <summary>
    /// Returns the failures that are still unhandled now and forgets them (they will not be logged at
    /// garbage collection either), like trial's <c>flushLoggedErrors</c>.
    /// </summary>
    public IReadOnlyList<Failure> Flush()
    {
        var failures = new List<Failure>();
        lock (_gate)
        {
            foreach (var report in _reports)
            {
                var failure = report.Failure;
                if (failure is not null && !failures.Contains(failure))
                {
                    failures.Add(failure);
                    report.Disarm();
                }
            }
            _reports.Clear();
        }
        return failures;
    }

    /// <summary>Flushes and throws if any Deferred ended with an unhandled Failure.</summary>
    /// <exception cref="UnobservedFailureException">One or more failures were never handled.</exception>
    public void AssertNone()
    {
        var failures = Flush();
        if (failures.Count > 0) throw new UnobservedFailureException(failures);
    }

    /// <summary>Stops recording; failures still unhandled go back to being reported at garbage collection.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (ReferenceEquals(Current.Value, this)) Current.Value = _outer;
    }

    internal static void Record(UnhandledFailureReport report)
    {
        var scope = Current.Value;
        if (scope is null || scope._disposed) return;
        lock (scope._gate)
        {
            if (!scope._reports.Contains(report)) scope._reports.Add(report);
        }
    }
}

/// <summary>Thrown by <see cref="UnobservedFailures.AssertNone"/>: Deferreds ended with failures nobody handled.</summary>
public sealed class UnobservedFailureException : AggregateException
{
    /// <summary>Creates the error listing <paramref name="failures"/>.</summary>
    public UnobservedFailureException(IReadOnlyList<Failure> failures)
        : base(Describe(failures), failures.Select(f => f.Value)) => Failures = failures;

    /// <summary>The failures that were never handled.</summary>
    public IReadOnlyList<Failure> Failures { get; }

    private static string Describe(IReadOnlyList<Failure> failures) =>
        $"{failures.Count} unhandled error(s) in Deferred:{Environment.NewLine}" +
        string.Join(Environment.NewLine, failures.Select(f => f.GetTraceback()));
}
