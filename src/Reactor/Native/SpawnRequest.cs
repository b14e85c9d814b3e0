namespace Reactor.Native;

/// <summary>Everything posix_spawn needs to start one child, already resolved by the caller.</summary>
internal sealed class SpawnRequest
{
    /// <summary>The executable's path (already searched for in PATH).</summary>
    public required string Path { get; init; }

    /// <summary>The argument vector, argv[0] first.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The environment as "NAME=value" strings.</summary>
    public required IReadOnlyList<string> Environment { get; init; }

    /// <summary>The child's working directory, or null to keep ours.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The child's descriptors: each source (a descriptor of ours, close-on-exec, numbered above
    /// every target) becomes the target in the child. Every other descriptor is closed in the child.
    /// </summary>
    public IReadOnlyList<(int Source, int Target)> Descriptors { get; init; } = [];

    /// <summary>A terminal device to open as the child's 0, 1 and 2 (as its controlling terminal), or null.</summary>
    public string? TerminalPath { get; init; }

    /// <summary>Start the child in a new session (setsid).</summary>
    public bool NewSession { get; init; }

    /// <summary>The user id the child runs as, or null to keep ours.</summary>
    public int? UserId { get; init; }

    /// <summary>The group id the child runs as, or null to keep ours.</summary>
    public int? GroupId { get; init; }
}
