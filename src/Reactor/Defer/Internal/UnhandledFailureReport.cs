using Microsoft.Extensions.Logging;
using Reactor.Logging;

namespace Reactor.Defer.Internal;

/// <summary>
/// Holds the Failure a chain ended with until something handles it, and reports it if the Deferred is
/// garbage-collected first (Twisted's <c>DebugInfo.__del__</c>). It is a separate object, made only
/// for chains that end on a Failure, so ordinary Deferreds carry no finalizer. The report goes to
/// the logger of the reactor on whose thread the chain ended (<see cref="ReactorThreadLogger"/>),
/// else to <see cref="Deferred.Logger"/>.
/// </summary>
internal sealed class UnhandledFailureReport
{
    private Failure? _failure;
    private DeferredDebugInfo? _debugInfo;
    private ILogger? _reactorLogger; // the logger of the reactor whose thread ended the chain on the failure; null off reactor threads
    private bool _finalizable = true;

    /// <summary>The unhandled failure, or null once handled.</summary>
    internal Failure? Failure => _failure;

    internal void Arm(Failure failure, DeferredDebugInfo? debugInfo)
    {
        _failure = failure;
        _debugInfo = debugInfo;
        // Read now, on the thread that ran the callbacks: the report itself is written on the
        // finalizer thread, which belongs to no reactor.
        _reactorLogger = ReactorThreadLogger.Current;
        if (!_finalizable)
        {
            GC.ReRegisterForFinalize(this);
            _finalizable = true;
        }
        UnobservedFailures.Record(this);
    }

    internal void Disarm()
    {
        if (_failure is null) return;
        _failure = null;
        _debugInfo = null;
        _reactorLogger = null;
        GC.SuppressFinalize(this);
        _finalizable = false;
    }

    /// <summary>The text logged for the failure, with the debug stacks when recorded.</summary>
    internal string Describe()
    {
        var failure = _failure;
        if (failure is null) return string.Empty;
        var debug = _debugInfo?.Describe();
        return string.IsNullOrEmpty(debug) ? failure.GetTraceback() : failure.GetTraceback() + "(debug:" + Environment.NewLine + debug + ")";
    }

    ~UnhandledFailureReport()
    {
        if (_failure is null) return;
        try
        {
            // The process-wide default is read at report time, so a Deferred.Logger chosen later applies.
            DeferLog.UnhandledFailure(_reactorLogger ?? Deferred.Logger, _failure.Value, Environment.NewLine, Describe());
        }
        catch
        {
            // A logger that throws on the finalizer thread would kill the process; there is nowhere left to report to.
        }
    }
}
