using Microsoft.Win32.SafeHandles;
using Reactor.Native;
using Reactor.Net.Internal;

namespace Reactor.Net.Stream;

/// <summary>
/// sendfile(2): file bytes to the socket without passing through user space, for
/// <see cref="FileSender"/>. Only on a plain connection (no TLS: the bytes must be encrypted
/// first) with nothing buffered (order on the wire), and only on Linux (the BSDs' sendfile has
/// another signature; they take the read-and-write path).
/// </summary>
internal abstract partial class StreamTransport
{
    /// <summary><see cref="SendFile"/>: the kernel's send buffer is full; wait for the output to drain.</summary>
    internal const long SendFileBlocked = -1;

    /// <summary><see cref="SendFile"/>: this file, socket or OS cannot do sendfile; read and write instead.</summary>
    internal const long SendFileUnsupported = -2;

    /// <summary>True when a file's bytes may go to the socket directly now.</summary>
    internal bool CanSendFileNow =>
        NativePlatform.IsLinux && _driver is null && _layer is null && _connected && !_lost && !_disconnecting && !_aborting
        && !_writeShutdownRequested && _pendingLoss is null && _output.IsEmpty && !_writing && _fd >= 0;

    /// <summary>
    /// Sends up to <paramref name="count"/> bytes of <paramref name="file"/> from
    /// <paramref name="offset"/> (the file's own position is not used or moved).
    /// </summary>
    /// <returns>
    /// The bytes sent; 0 at the end of the file; <see cref="SendFileBlocked"/> when the kernel took
    /// nothing (also after a socket error, which closes the connection from the loop);
    /// <see cref="SendFileUnsupported"/> when sendfile cannot serve this file or socket.
    /// </returns>
    internal unsafe long SendFile(SafeFileHandle file, long offset, long count)
    {
        if (!CanSendFileNow) return SendFileBlocked;
        var inFd = (int)file.DangerousGetHandle();
        nint sent;
        Errno errno;
        do
        {
            sent = Syscalls.SendFile(_fd, inFd, &offset, (nuint)count, out errno);
        }
        while (sent < 0 && errno == Errno.EINTR);
        if (sent >= 0)
        {
            CountSent(sent);
            return sent;
        }
        if (errno.IsWouldBlock) return SendFileBlocked;
        if (errno == Errno.EINVAL || errno == Errno.ENOSYS || errno == Errno.EOPNOTSUPP) return SendFileUnsupported;
        // Reported from the loop: the caller is the producer, inside the transport's flush.
        FailFromLoop(ConnectionErrorMapping.ForEstablished(errno));
        return SendFileBlocked;
    }
}
