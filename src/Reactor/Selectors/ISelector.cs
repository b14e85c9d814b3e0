namespace Reactor.Selectors;

/// <summary>What a registration asks to be told about.</summary>
[Flags]
public enum Interest : byte
{
    /// <summary>Nothing: the descriptor stays registered but reports only hang-ups and errors.</summary>
    None = 0,

    /// <summary>Readable, or the peer closed.</summary>
    Read = 1,

    /// <summary>Writable.</summary>
    Write = 2,

    /// <summary>Readable or writable.</summary>
    ReadWrite = Read | Write,
}

/// <summary>What a selector reports for a descriptor.</summary>
[Flags]
public enum SelectorEvents : byte
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Data (or an end of file) can be read without blocking.</summary>
    Readable = 1,

    /// <summary>Data can be written without blocking.</summary>
    Writable = 2,

    /// <summary>The peer hung up (EPOLLHUP / EPOLLRDHUP / POLLHUP / EV_EOF).</summary>
    HangUp = 4,

    /// <summary>The descriptor is in an error state (EPOLLERR / POLLERR / POLLNVAL / EV_ERROR).</summary>
    Error = 8,
}

/// <summary>One readiness report: the registration's token and what is ready.</summary>
/// <param name="Token">The token given at registration.</param>
/// <param name="Events">What is ready.</param>
/// <param name="ErrorCode">
/// The errno the backend reported with an <see cref="SelectorEvents.Error"/> (kqueue's <c>fflags</c> on
/// <c>EV_EOF</c>, or <c>data</c> on <c>EV_ERROR</c>); 0 when the backend gave none (epoll, poll, select:
/// SO_ERROR holds it there).
/// </param>
public readonly record struct SelectorEvent(long Token, SelectorEvents Events, int ErrorCode = 0);

/// <summary>The selector backends.</summary>
public enum SelectorKind
{
    /// <summary>Linux epoll.</summary>
    Epoll,

    /// <summary>BSD / macOS kqueue.</summary>
    Kqueue,

    /// <summary>POSIX poll(2).</summary>
    Poll,

    /// <summary>POSIX select(2): portable, limited to descriptors below FD_SETSIZE.</summary>
    Select,

    /// <summary>
    /// Linux io_uring (named <c>io_uring</c>): feature-detected; where the kernel refuses it the
    /// reactor falls back to epoll and logs why.
    /// </summary>
    IoUring,
}

/// <summary>
/// A readiness multiplexer over file descriptors: the seam between the reactor loop and the
/// platform (epoll, kqueue, poll, select). Level-triggered: a descriptor that stays ready is
/// reported again by the next <see cref="Wait"/>. Not thread-safe, except <see cref="Wake"/>.
/// </summary>
/// <remarks>
/// <para>Changing registrations while processing the events of a <see cref="Wait"/> is safe: the
/// reports already written to the caller's span stay there (they are the caller's data), and no
/// later Wait reports a descriptor after <see cref="Unregister"/> returns. A loop that tears down
/// another descriptor mid-batch must therefore recognise that descriptor's report as stale — e.g.
/// by giving each registration a fresh token (slot + generation) and checking it.</para>
/// <para>Unregister a descriptor before closing it. A descriptor closed while registered may stay
/// registered here (poll, select, kqueue and io_uring refuse its number until it is unregistered;
/// epoll's kernel forgets it); epoll and kqueue stop reporting it, poll reports it as <see cref="SelectorEvents.Error"/> (POLLNVAL), select
/// reports it as <see cref="SelectorEvents.Error"/> after finding it with fcntl.</para>
/// <para>Plain readiness is reported only in the directions the registration asked for. Hang-ups
/// and errors are also reported as readiness, so the read or write path discovers the end of file
/// or the error: in the directions asked for where the backend keeps a record of the interest
/// (poll, select, kqueue, io_uring), in both directions where the kernel is the only record and
/// the token the only data (epoll). Callers act on the directions they registered for.
/// Level-triggered means a registration that keeps asking for a condition that stays true (read
/// interest after end of file, write interest with nothing to write) is reported on every Wait.</para>
/// <para>Tokens are the caller's: a backend hands them to the kernel where it can (epoll data, kevent
/// udata) and gives them back with each report. The token −1 is reserved for the backends' wake-up.
/// Any other value works everywhere; io_uring also uses a token's low 32 bits as the index its
/// kernel requests carry, so tokens shaped like the reactor's — <c>(generation &lt;&lt; 32) | slot</c>,
/// slots small and distinct among the registrations — are resolved by that one index, and other
/// tokens by an index the backend picks.</para>
/// </remarks>
public interface ISelector : IDisposable
{
    /// <summary>Which backend this is.</summary>
    SelectorKind Kind { get; }

    /// <summary>Starts watching <paramref name="fd"/>; events for it carry <paramref name="token"/>.</summary>
    /// <exception cref="InvalidOperationException">The descriptor is already registered.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fd"/> is negative, <paramref name="interest"/> is not a combination of Read and Write, or <paramref name="token"/> is −1.</exception>
    void Register(int fd, Interest interest, long token);

    /// <summary>Changes what <paramref name="fd"/> is watched for, and its token.</summary>
    /// <exception cref="InvalidOperationException">The descriptor is not registered.</exception>
    void Modify(int fd, Interest interest, long token);

    /// <summary>Stops watching <paramref name="fd"/>. No event for it is reported after this returns.</summary>
    void Unregister(int fd);

    /// <summary>
    /// Stops watching <paramref name="fd"/>, which the caller closes right after and holds no
    /// duplicate of: backends whose kernel forgets a closed descriptor by itself (epoll, kqueue)
    /// skip the system call. The default is <see cref="Unregister"/>.
    /// </summary>
    void UnregisterBeforeClose(int fd) => Unregister(fd);

    /// <summary>
    /// Waits until at least one registered descriptor is ready, <see cref="Wake"/> is called, or
    /// <paramref name="timeout"/> passes (null waits without limit, <see cref="TimeSpan.Zero"/> polls),
    /// and writes at most <c>events.Length</c> reports into <paramref name="events"/>.
    /// </summary>
    /// <returns>The number of reports written; 0 on timeout, wake-up or interruption by a signal.</returns>
    int Wait(Span<SelectorEvent> events, TimeSpan? timeout);

    /// <summary>Makes a current or the next <see cref="Wait"/> return promptly. Safe from any thread.</summary>
    void Wake();
}
