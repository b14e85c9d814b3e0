using System.Net;

namespace Reactor.Net.Stdio;

/// <summary>The address of a transport over a process's own pipes or terminal (Twisted's <c>PipeAddress</c>): there is none.</summary>
public sealed class PipeAddress : EndPoint
{
    /// <summary>The one instance.</summary>
    public static PipeAddress Instance { get; } = new();

    private PipeAddress() { }

    /// <inheritdoc/>
    public override string ToString() => "stdio";
}
