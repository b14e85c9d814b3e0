using Reactor.Native;

namespace Reactor.Selectors;

/// <summary>
/// Picks and creates a selector backend: the best one for this OS (epoll on Linux, kqueue on
/// macOS and the BSDs, poll elsewhere), unless the caller or the <c>REACTOR_SELECTOR</c>
/// environment variable (<c>epoll</c>, <c>kqueue</c>, <c>poll</c> or <c>select</c>) names one — the
/// equivalent of Twisted's <c>--reactor</c> option.
/// </summary>
public static class SelectorFactory
{
    /// <summary>The environment variable that forces a backend when none is passed to <see cref="Create"/>.</summary>
    public const string EnvironmentVariable = "REACTOR_SELECTOR";

    private static readonly SelectorKind[] AllKinds = Enum.GetValues<SelectorKind>();

    /// <summary>The best backend for this OS, ignoring <c>REACTOR_SELECTOR</c>.</summary>
    public static SelectorKind BestForPlatform =>
        NativePlatform.Os switch
        {
            NativeOs.Linux => SelectorKind.Epoll,
            NativeOs.MacOS or NativeOs.FreeBsd => SelectorKind.Kqueue,
            NativeOs.Windows => SelectorKind.Select,
            _ => SelectorKind.Poll,
        };

    /// <summary>The backends that can be created on this machine, best first.</summary>
    public static IReadOnlyList<SelectorKind> Available
    {
        get
        {
            var kinds = new List<SelectorKind>(4);
            if (IsAvailable(BestForPlatform)) kinds.Add(BestForPlatform);
            foreach (SelectorKind kind in AllKinds)
            {
                if (kind != BestForPlatform && IsAvailable(kind)) kinds.Add(kind);
            }

            return kinds;
        }
    }

    /// <summary>True if <paramref name="kind"/> can be created on this machine.</summary>
    public static bool IsAvailable(SelectorKind kind) => kind switch
    {
        SelectorKind.Epoll => NativePlatform.IsLinux,
        SelectorKind.Kqueue => LibcSyscalls.Instance.IsKqueueAvailable,
        SelectorKind.Poll or SelectorKind.Select => !NativePlatform.IsWindows,
        _ => false,
    };

    /// <summary>
    /// The backend <see cref="Create"/> would use: <paramref name="kind"/> if given, else the one
    /// <c>REACTOR_SELECTOR</c> names, else <see cref="BestForPlatform"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><c>REACTOR_SELECTOR</c> holds an unknown name.</exception>
    public static SelectorKind Resolve(SelectorKind? kind = null)
    {
        if (kind is { } explicitKind) return explicitKind;
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(configured)) return BestForPlatform;
        if (TryParse(configured, out SelectorKind named)) return named;
        throw new ArgumentException(
            $"{EnvironmentVariable}='{configured}' is not a selector; valid values are {ValidNames}.", EnvironmentVariable);
    }

    /// <summary>Creates the backend chosen by <see cref="Resolve"/>.</summary>
    /// <exception cref="ArgumentException"><c>REACTOR_SELECTOR</c> holds an unknown name.</exception>
    /// <exception cref="PlatformNotSupportedException">The chosen backend does not exist on this machine.</exception>
    public static ISelector Create(SelectorKind? kind = null) => CreateWith(Resolve(kind), LibcSyscalls.Instance);

    /// <summary>Parses a backend name (case-insensitive: epoll, kqueue, poll, select).</summary>
    /// <exception cref="ArgumentException">Not one of the valid names; the message lists them.</exception>
    public static SelectorKind Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryParse(name, out SelectorKind kind)) return kind;
        throw new ArgumentException($"'{name}' is not a selector; valid values are {ValidNames}.", nameof(name));
    }

    /// <summary>Parses a backend name; false if it is not one.</summary>
    public static bool TryParse(string? name, out SelectorKind kind)
    {
        kind = default;
        string? trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || !char.IsLetter(trimmed[0])) return false;
        return Enum.TryParse(trimmed, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    /// <summary>The lower-case name of <paramref name="kind"/>, as <c>REACTOR_SELECTOR</c> spells it.</summary>
    public static string NameOf(SelectorKind kind) => kind.ToString().ToLowerInvariant();

    internal static ISelector CreateWith(SelectorKind kind, ISyscalls syscalls) => kind switch
    {
        SelectorKind.Epoll => new EpollSelector(syscalls),
        SelectorKind.Kqueue => new KqueueSelector(syscalls),
        SelectorKind.Poll => new PollSelector(syscalls),
        SelectorKind.Select => new SelectSelector(syscalls),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown selector; valid values are {ValidNames}."),
    };

    private static string ValidNames => string.Join(", ", AllKinds.Select(NameOf));
}
