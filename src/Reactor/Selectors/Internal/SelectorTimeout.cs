namespace Reactor.Selectors.Internal;

/// <summary>Converts a Wait timeout into what the system calls take.</summary>
internal static class SelectorTimeout
{
    // macOS's select and kevent reject timeouts above 10^8 seconds with EINVAL; three years is
    // "forever" for a reactor, so longer waits are clamped there.
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(100_000_000);

    /// <summary>
    /// Milliseconds for epoll_wait/poll: −1 for no limit, 0 for zero or negative timeouts, and
    /// otherwise rounded UP so a 0.3 ms wait does not become a busy 0 ms poll.
    /// </summary>
    public static int ToMilliseconds(TimeSpan? timeout)
    {
        if (timeout is not { } value) return -1;
        if (value <= TimeSpan.Zero) return 0;
        long milliseconds = CeilingDivide(value.Ticks, TimeSpan.TicksPerMillisecond);
        return milliseconds >= int.MaxValue ? int.MaxValue : (int)milliseconds;
    }

    /// <summary>Whole seconds and the remaining microseconds (rounded up) for select's timeval.</summary>
    public static (long Seconds, long Microseconds) ToSecondsAndMicroseconds(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return (0, 0);
        if (value > Longest) value = Longest;
        long microseconds = CeilingDivide(value.Ticks, TimeSpan.TicksPerMicrosecond);
        return (microseconds / 1_000_000, microseconds % 1_000_000);
    }

    /// <summary>Whole seconds and the remaining nanoseconds for kevent's timespec.</summary>
    public static (long Seconds, long Nanoseconds) ToSecondsAndNanoseconds(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return (0, 0);
        if (value > Longest) value = Longest;
        long ticks = value.Ticks;
        return (ticks / TimeSpan.TicksPerSecond, ticks % TimeSpan.TicksPerSecond * 100);
    }

    // (a + b - 1) / b would overflow for TimeSpan.MaxValue and turn "almost forever" negative.
    private static long CeilingDivide(long value, long divisor) =>
        value / divisor + (value % divisor != 0 ? 1 : 0);
}
