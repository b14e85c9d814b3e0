using Reactor.Native;

namespace Reactor.Net.Stream;

/// <summary>
/// A completion driver that accepts for a listening socket (io_uring's multishot ACCEPT) in place of
/// accept(2) on readiness: the kernel accepts as connections arrive, the selector reports the socket
/// readable while accepted connections are held, and <see cref="AcceptingPort"/> takes them. Pausing
/// is the selector registration's (no reading asked for: the request is cancelled, results already
/// accepted stay held). Every call is on the reactor thread.
/// </summary>
internal interface IAcceptCompletionDriver
{
    /// <summary>False once the kernel refused completion accepts (then ports accept with accept(2)).</summary>
    bool Available { get; }

    /// <summary>Claims listening <paramref name="fd"/>; call before its registration with the selector.</summary>
    void Claim(int fd);

    /// <summary>
    /// The oldest connection accepted for <paramref name="fd"/> (a non-blocking, close-on-exec descriptor,
    /// now the caller's; no peer address: every accept of a multishot request would overwrite one buffer),
    /// or the error an accept ended with. False when nothing is held.
    /// </summary>
    bool TakeAccepted(int fd, out int accepted, out Errno error);

    /// <summary>
    /// Ends the claim of <paramref name="fd"/> before its close: cancels the request (the cancel reaches
    /// the kernel before this returns, so the request no longer holds the socket open and nothing
    /// listens once it is closed) and closes connections accepted but not taken.
    /// </summary>
    void Release(int fd);

    /// <summary>The kernel refused completion accepts (<paramref name="reason"/>): say so once; no port claims from now on.</summary>
    void Refuse(string reason);
}
