using System.Diagnostics;
using System.Text;

namespace Reactor.Defer.Internal;

/// <summary>Where a Deferred was created and first fired, recorded while <see cref="Deferred.Debug"/> is on.</summary>
internal sealed class DeferredDebugInfo
{
    internal string? Creator;
    internal string? Invoker;

    /// <summary>The caller's stack, without the Deferred's own frames.</summary>
    internal static string CaptureStack() => new StackTrace(2, fNeedFileInfo: true).ToString();

    /// <summary>The text Twisted appends to AlreadyCalledError and to unhandled-error reports.</summary>
    internal string Describe()
    {
        var sb = new StringBuilder();
        if (Creator is not null) sb.AppendLine(" C: Deferred was created:").Append(Creator);
        if (Invoker is not null) sb.AppendLine(" I: First Invoker was:").Append(Invoker);
        return sb.ToString();
    }
}
