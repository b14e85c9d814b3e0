using Microsoft.Extensions.Logging;
using Reactor.Native;
using Reactor.Selectors.Internal;

namespace Reactor.Selectors;

/// <summary>
/// Picks and creates a selector backend: the best one for this OS (epoll on Linux, kqueue on
/// macOS and the BSDs, poll elsewhere), unless the caller or the <c>REACTOR_SELECTOR</c>
/// environment variable (<c>epoll</c>, <c>kqueue</c>, <c>poll</c>, <c>select</c> or <c>io_uring</c>)
/// names one — the equivalent of Twisted's <c>--reactor</c> option. io_uring is feature-detected:
/// where the kernel refuses it, the epoll backend is created instead and the reason logged once.
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
        SelectorKind.IoUring => IoUringUnavailableReason is null,
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
    public static ISelector Create(SelectorKind? kind = null) => CreateWith(Resolve(kind), LibcSyscalls.Instance, null);

    /// <summary>As <see cref="Create"/>, logging to <paramref name="logger"/> when io_uring falls back to epoll.</summary>
    internal static ISelector CreateLogged(SelectorKind? kind, ILogger? logger) => CreateWith(Resolve(kind), LibcSyscalls.Instance, logger);

    /// <summary>
    /// Why io_uring cannot be used on this machine (kernel too old, <c>kernel.io_uring_disabled</c>,
    /// a seccomp filter, not Linux), or null when it can. Probed once, with a throw-away ring.
    /// </summary>
    public static string? IoUringUnavailableReason => IoUringProbe.Value;

    private static readonly Lazy<string?> IoUringProbe = new(() =>
    {
        using var probe = IoUringSelector.TryCreate(out string? whyNot);
        return whyNot;
    });

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
        if (trimmed.Equals(IoUringName, StringComparison.OrdinalIgnoreCase))
        {
            kind = SelectorKind.IoUring;
            return true;
        }
        return Enum.TryParse(trimmed, ignoreCase: true, out kind) && Enum.IsDefined(kind);
    }

    /// <summary>The lower-case name of <paramref name="kind"/>, as <c>REACTOR_SELECTOR</c> spells it.</summary>
    public static string NameOf(SelectorKind kind) => kind == SelectorKind.IoUring ? IoUringName : kind.ToString().ToLowerInvariant();

    private const string IoUringName = "io_uring";

    internal static ISelector CreateWith(SelectorKind kind, ISyscalls syscalls, ILogger? logger) =>
        CreateWith(kind, syscalls, LibcIoUringSyscalls.Instance, logger);

    /// <summary>Creates <paramref name="kind"/>; io_uring falls back to epoll with one warning naming the reason.</summary>
    internal static ISelector CreateWith(SelectorKind kind, ISyscalls syscalls, IIoUringSyscalls uring, ILogger? logger) => kind switch
    {
        SelectorKind.IoUring => (ISelector?)IoUringSelector.TryCreateWith(uring, syscalls, out string? whyNot) ?? FallBackToEpoll(syscalls, whyNot!, logger),
        SelectorKind.Epoll => new EpollSelector(syscalls),
        SelectorKind.Kqueue => new KqueueSelector(syscalls),
        SelectorKind.Poll => new PollSelector(syscalls),
        SelectorKind.Select => new SelectSelector(syscalls),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown selector; valid values are {ValidNames}."),
    };

    private static EpollSelector FallBackToEpoll(ISyscalls syscalls, string whyNot, ILogger? logger)
    {
        if (logger is not null) SelectorLog.IoUringUnavailable(logger, whyNot);
        return new EpollSelector(syscalls);
    }

    private static string ValidNames => string.Join(", ", AllKinds.Select(NameOf));
}
