namespace Reactor.Selectors.Internal;

/// <summary>Converts a Wait timeout into what the system calls take.</summary>
internal static class SelectorTimeout
{
    /// <summary>
    /// Milliseconds for epoll_wait/poll: −1 for no limit, 0 for zero or negative timeouts, and
    /// otherwise rounded UP so a 0.3 ms wait does not become a busy 0 ms poll.
    /// </summary>
    public static int ToMilliseconds(TimeSpan? timeout)
    {
        if (timeout is not { } value) return -1;
        if (value <= TimeSpan.Zero) return 0;
        long ticks = value.Ticks;
        long milliseconds = (ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return milliseconds >= int.MaxValue ? int.MaxValue : (int)milliseconds;
    }

    /// <summary>Whole seconds and the remaining microseconds (rounded up) for select's timeval.</summary>
    public static (long Seconds, long Microseconds) ToSecondsAndMicroseconds(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return (0, 0);
        long microseconds = (value.Ticks + TimeSpan.TicksPerMicrosecond - 1) / TimeSpan.TicksPerMicrosecond;
        return (microseconds / 1_000_000, microseconds % 1_000_000);
    }

    /// <summary>Whole seconds and the remaining nanoseconds for kevent's timespec.</summary>
    public static (long Seconds, long Nanoseconds) ToSecondsAndNanoseconds(TimeSpan value)
    {
        if (value <= TimeSpan.Zero) return (0, 0);
        long ticks = value.Ticks;
        return (ticks / TimeSpan.TicksPerSecond, ticks % TimeSpan.TicksPerSecond * 100);
    }
}
