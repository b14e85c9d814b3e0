using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Net.Unix;

/// <summary>
/// The kernel seam the UNIX stream connections of one reactor use: the stream transport's own
/// (shared with TCP), except that reads and writes on a UNIX connection carry SCM_RIGHTS
/// ancillary data. This is how UNIX connections add descriptor passing to the shared stream
/// transport without copying it: the transport calls Recv / Send / Writev as for TCP, and this
/// layer turns them into recvmsg / sendmsg for the descriptors registered here.
/// </summary>
/// <remarks>
/// Each queued descriptor is sent with one byte of the stream (as Twisted's <c>_SendmsgMixin</c>),
/// so the receiver can pair it with the bytes it came with; received descriptors are handed to
/// the connection before the bytes they arrived with. Reactor thread only.
/// </remarks>
internal sealed unsafe class DescriptorPassingSyscalls(ISyscalls inner, IDatagramSyscalls messages) : ISyscalls
{
    private readonly Dictionary<int, UnixConnection> _connections = new();

    /// <summary>Starts passing descriptors on <paramref name="connection"/>'s socket.</summary>
    public void Register(UnixConnection connection) => _connections[connection.FileDescriptor] = connection;

    /// <inheritdoc/>
    public nint Recv(int fd, byte* buffer, nint length, out Errno errno)
    {
        if (!_connections.TryGetValue(fd, out var connection)) return inner.Recv(fd, buffer, length, out errno);
        var descriptors = stackalloc int[LibcDatagramSyscalls.MaxDescriptorsPerMessage];
        var received = messages.ReceiveWithDescriptors(fd, buffer, length, descriptors, LibcDatagramSyscalls.MaxDescriptorsPerMessage,
            out var count, out var truncated, out errno);
        if (count > 0 || truncated) connection.DescriptorsReceived(new ReadOnlySpan<int>(descriptors, count), truncated);
        return received;
    }

    /// <inheritdoc/>
    public nint Send(int fd, byte* buffer, nint length, out Errno errno)
    {
        if (!_connections.TryGetValue(fd, out var connection) || !connection.HasDescriptorsToSend || length == 0)
        {
            return inner.Send(fd, buffer, length, out errno);
        }

        // One byte per descriptor, then the rest in one send.
        nint sent = 0;
        while (sent < length && connection.HasDescriptorsToSend)
        {
            var descriptor = connection.PeekDescriptorToSend();
            var n = messages.SendWithDescriptors(fd, buffer + sent, 1, &descriptor, 1, out errno);
            if (n < 0) return sent > 0 ? Partial(sent, out errno) : n;
            connection.DescriptorSent();
            sent += n;
        }
        if (sent == length) return Partial(sent, out errno);
        var rest = inner.Send(fd, buffer + sent, length - sent, out errno);
        if (rest < 0) return Partial(sent, out errno);
        return sent + rest;
    }

    /// <inheritdoc/>
    public nint Writev(int fd, IoVec* vectors, int count, out Errno errno)
    {
        if (count == 0 || !_connections.TryGetValue(fd, out var connection) || !connection.HasDescriptorsToSend)
        {
            return inner.Writev(fd, vectors, count, out errno);
        }
        // Descriptors go out with the first segment's bytes; a short write makes the transport
        // come back for the remaining segments.
        return Send(fd, vectors[0].Base, (nint)vectors[0].Length, out errno);
    }

    /// <inheritdoc/>
    public int Close(int fd, out Errno errno)
    {
        if (_connections.Remove(fd, out var connection)) connection.SocketClosing();
        return inner.Close(fd, out errno);
    }

    // A short write that stopped on an error: report the bytes sent; the error shows up again next time.
    private static nint Partial(nint sent, out Errno errno)
    {
        errno = Errno.Success;
        return sent;
    }

    // ---- everything else is the stream transport's own seam ----

    /// <inheritdoc/>
    public nint Read(int fd, byte* buffer, nint count, out Errno errno) => inner.Read(fd, buffer, count, out errno);

    /// <inheritdoc/>
    public nint Write(int fd, byte* buffer, nint count, out Errno errno) => inner.Write(fd, buffer, count, out errno);

    /// <inheritdoc/>
    public nint Readv(int fd, IoVec* vectors, int count, out Errno errno) => inner.Readv(fd, vectors, count, out errno);

    /// <inheritdoc/>
    public int SetNonBlocking(int fd, bool nonBlocking, out Errno errno) => inner.SetNonBlocking(fd, nonBlocking, out errno);

    /// <inheritdoc/>
    public int Fcntl(int fd, int command, nint argument, out Errno errno) => inner.Fcntl(fd, command, argument, out errno);

    /// <inheritdoc/>
    public int CreatePipe(out int readFd, out int writeFd, out Errno errno) => inner.CreatePipe(out readFd, out writeFd, out errno);

    /// <inheritdoc/>
    public int CreateEventFd(out Errno errno) => inner.CreateEventFd(out errno);

    /// <inheritdoc/>
    public int Accept(int fd, byte* address, int* addressLength, out Errno errno) => inner.Accept(fd, address, addressLength, out errno);

    /// <inheritdoc/>
    public int Shutdown(int fd, SocketShutdown how, out Errno errno) => inner.Shutdown(fd, how, out errno);

    /// <inheritdoc/>
    public int GetSockOpt(int fd, int level, int name, void* value, int* length, out Errno errno) => inner.GetSockOpt(fd, level, name, value, length, out errno);

    /// <inheritdoc/>
    public int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno) => inner.SetSockOpt(fd, level, name, value, length, out errno);

    /// <inheritdoc/>
    public int GetSocketError(int fd, out Errno pending, out Errno errno) => inner.GetSocketError(fd, out pending, out errno);

    /// <inheritdoc/>
    public int CreateSocketPair(int type, out int fd0, out int fd1, out Errno errno) => inner.CreateSocketPair(type, out fd0, out fd1, out errno);

    /// <inheritdoc/>
    public int GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno) => inner.GetOpenFileLimit(out soft, out hard, out errno);

    /// <inheritdoc/>
    public int SetOpenFileLimit(ulong soft, ulong hard, out Errno errno) => inner.SetOpenFileLimit(soft, hard, out errno);

    /// <inheritdoc/>
    public int EpollCreate(out Errno errno) => inner.EpollCreate(out errno);

    /// <inheritdoc/>
    public int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno) => inner.EpollCtl(epfd, operation, fd, events, data, out errno);

    /// <inheritdoc/>
    public int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno) => inner.EpollWait(epfd, events, maxEvents, timeoutMilliseconds, out errno);

    /// <inheritdoc/>
    public int Poll(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno) => inner.Poll(fds, count, timeoutMilliseconds, out errno);

    /// <inheritdoc/>
    public int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout, out Errno errno) => inner.Select(nfds, read, write, except, timeout, out errno);

    /// <inheritdoc/>
    public bool IsKqueueAvailable => inner.IsKqueueAvailable;

    /// <inheritdoc/>
    public KeventAbi KeventAbi => inner.KeventAbi;

    /// <inheritdoc/>
    public int Kqueue(out Errno errno) => inner.Kqueue(out errno);

    /// <inheritdoc/>
    public int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno) =>
        inner.Kevent(kq, changes, changeCount, events, eventCount, timeout, out errno);
}
