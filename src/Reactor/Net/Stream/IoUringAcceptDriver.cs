using Microsoft.Extensions.Logging;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Selectors.IoUring;

namespace Reactor.Net.Stream;

/// <summary>
/// Accepting by io_uring multishot ACCEPT: one request per listening socket, armed while the port's
/// registration asks for reading, cancelled while it is paused (connections then wait in the kernel's
/// backlog, as on readiness), its results held by <see cref="CompletionStreams"/> until the port takes
/// them. Needs no provided-buffer ring, so it works where that ring was refused.
/// </summary>
internal sealed class IoUringAcceptDriver(CompletionStreams streams, ILogger logger) : IAcceptCompletionDriver
{
    /// <inheritdoc/>
    public bool Available { get; private set; } = true;

    /// <inheritdoc/>
    public void Claim(int fd) => streams.ClaimAccept(fd);

    /// <inheritdoc/>
    public bool TakeAccepted(int fd, out int accepted, out Errno error) => streams.TakeAccepted(fd, out accepted, out error);

    /// <inheritdoc/>
    public void Release(int fd) => streams.ReleaseNow(fd);

    /// <inheritdoc/>
    public void Refuse(string reason)
    {
        if (!Available) return;
        Available = false;
        NetLog.IoUringMultishotAcceptRefused(logger, reason);
    }
}
