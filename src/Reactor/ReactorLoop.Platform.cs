namespace Reactor;

public sealed partial class ReactorLoop
{
    /// <summary>Windows has none of the libc calls the engine makes: say so at once, not at the first socket.</summary>
    internal static void ThrowIfUnsupported(bool isWindows)
    {
        if (!isWindows) return;
        throw new PlatformNotSupportedException(
            "Reactor runs on Linux (epoll, poll, select), macOS and FreeBSD (kqueue, poll, select); Windows is not supported. " +
            "Run it under WSL or in a Linux container.");
    }
}
