using Reactor.Selectors;

namespace Reactor.Examples;

/// <summary>The options every example shares (../shared/EXAMPLES.md), plus its own extras.</summary>
public sealed class ExampleOptions
{
    /// <summary>The port to listen on (0 = any free port) or, in client mode, to connect to.</summary>
    public int Port { get; set; }

    /// <summary>The address to listen on or connect to: loopback unless told otherwise.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The selector backend asked for with --selector or REACTOR_SELECTOR; null = the platform's best.</summary>
    public SelectorKind? Selector { get; set; }

    /// <summary>The mode word (for example <c>client</c>), or null for the server.</summary>
    public string? Mode { get; set; }

    /// <summary>The --listen endpoint description (see ExampleEndpoints), or null to use --port and --host.</summary>
    public string? Listen { get; set; }

    /// <summary>The --connect endpoint description for client modes, or null to use --host and --port.</summary>
    public string? Connect { get; set; }

    /// <summary>The example-specific options given, by name without the leading dashes.</summary>
    public Dictionary<string, string> Extra { get; } = new(StringComparer.Ordinal);
}
