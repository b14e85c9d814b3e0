using System.Net.Sockets;

namespace Reactor.Native;

/// <summary>The real kernel: <see cref="ISyscalls"/> over libc (and the kqueue library on BSDs).</summary>
internal sealed unsafe partial class LibcSyscalls : ISyscalls
{
    /// <summary>The one instance; it holds no state.</summary>
    public static readonly LibcSyscalls Instance = new();

    private LibcSyscalls()
    {
    }

    /// <inheritdoc/>
    public nint Read(int fd, byte* buffer, nint count, out Errno errno) =>
        Check(LibC.Read(fd, buffer, count), out errno);

    /// <inheritdoc/>
    public nint Write(int fd, byte* buffer, nint count, out Errno errno) =>
        Check(LibC.Write(fd, buffer, count), out errno);

    /// <inheritdoc/>
    public nint Readv(int fd, IoVec* vectors, int count, out Errno errno) =>
        Check(LibC.Readv(fd, vectors, count), out errno);

    /// <inheritdoc/>
    public nint Writev(int fd, IoVec* vectors, int count, out Errno errno) =>
        Check(LibC.Writev(fd, vectors, count), out errno);

    /// <inheritdoc/>
    public int Close(int fd, out Errno errno) => Check(LibC.Close(fd), out errno);

    /// <inheritdoc/>
    public int SetNonBlocking(int fd, bool nonBlocking, out Errno errno)
    {
        int flags = Fcntl(fd, NativeConstants.F_GETFL, 0, out errno);
        if (flags < 0) return -1;
        int wanted = nonBlocking ? flags | NativeConstants.O_NONBLOCK : flags & ~NativeConstants.O_NONBLOCK;
        return wanted == flags ? 0 : Fcntl(fd, NativeConstants.F_SETFL, wanted, out errno);
    }

    /// <inheritdoc/>
    public int Fcntl(int fd, int command, nint argument, out Errno errno) =>
        Check(
            NativePlatform.IsAppleArm64
                ? LibC.FcntlAppleArm64(fd, command, 0, 0, 0, 0, 0, 0, argument)
                : LibC.Fcntl(fd, command, argument),
            out errno);

    /// <inheritdoc/>
    public int CreatePipe(out int readFd, out int writeFd, out Errno errno)
    {
        int* fds = stackalloc int[2];
        int result = NativeConstants.HasAtomicNonBlockingFlags
            ? Check(LibC.Pipe2(fds, NativeConstants.O_NONBLOCK | NativeConstants.O_CLOEXEC), out errno)
            : Check(LibC.Pipe(fds), out errno);
        if (result < 0)
        {
            readFd = writeFd = -1;
            return -1;
        }

        readFd = fds[0];
        writeFd = fds[1];
        if (!NativeConstants.HasAtomicNonBlockingFlags &&
            (MakeNonBlockingCloseOnExec(readFd, out errno) < 0 || MakeNonBlockingCloseOnExec(writeFd, out errno) < 0))
        {
            CloseBoth(ref readFd, ref writeFd);
            return -1;
        }

        return 0;
    }

    /// <inheritdoc/>
    public int CreateEventFd(out Errno errno)
    {
        if (!NativePlatform.IsLinux)
        {
            errno = Errno.ENOSYS;
            return -1;
        }

        return Check(LibC.EventFd(0, NativeConstants.EFD_NONBLOCK | NativeConstants.EFD_CLOEXEC), out errno);
    }

    /// <inheritdoc/>
    public nint Recv(int fd, byte* buffer, nint length, out Errno errno) =>
        Check(LibC.Recv(fd, buffer, length, 0), out errno);

    /// <inheritdoc/>
    public nint Send(int fd, byte* buffer, nint length, out Errno errno) =>
        Check(LibC.Send(fd, buffer, length, NativeConstants.MSG_NOSIGNAL), out errno);

    /// <inheritdoc/>
    public int Accept(int fd, byte* address, int* addressLength, out Errno errno)
    {
        if (NativeConstants.HasAtomicNonBlockingFlags)
        {
            return Check(
                LibC.Accept4(fd, address, addressLength, NativeConstants.SOCK_NONBLOCK | NativeConstants.SOCK_CLOEXEC),
                out errno);
        }

        int accepted = Check(LibC.Accept(fd, address, addressLength), out errno);
        if (accepted < 0) return -1;
        if (MakeNonBlockingCloseOnExec(accepted, out errno) < 0 || SuppressSigPipe(accepted, out errno) < 0)
        {
            LibC.Close(accepted);
            return -1;
        }

        return accepted;
    }

    /// <inheritdoc/>
    public int Shutdown(int fd, SocketShutdown how, out Errno errno) => Check(LibC.Shutdown(fd, (int)how), out errno);

    /// <inheritdoc/>
    public int GetSockOpt(int fd, int level, int name, void* value, int* length, out Errno errno) =>
        Check(LibC.GetSockOpt(fd, level, name, value, length), out errno);

    /// <inheritdoc/>
    public int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno) =>
        Check(LibC.SetSockOpt(fd, level, name, value, length), out errno);

    /// <inheritdoc/>
    public int GetSocketError(int fd, out Errno pending, out Errno errno)
    {
        int value = 0;
        int length = sizeof(int);
        int result = GetSockOpt(fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_ERROR, &value, &length, out errno);
        pending = new Errno(result < 0 ? 0 : value);
        return result;
    }

    /// <inheritdoc/>
    public int CreateSocketPair(int type, out int fd0, out int fd1, out Errno errno)
    {
        int* fds = stackalloc int[2];
        int flags = NativeConstants.SOCK_NONBLOCK | NativeConstants.SOCK_CLOEXEC;
        if (Check(LibC.SocketPair(NativeConstants.AF_UNIX, type | flags, 0, fds), out errno) < 0)
        {
            fd0 = fd1 = -1;
            return -1;
        }

        fd0 = fds[0];
        fd1 = fds[1];
        if (!NativeConstants.HasAtomicNonBlockingFlags &&
            (MakeNonBlockingCloseOnExec(fd0, out errno) < 0 || MakeNonBlockingCloseOnExec(fd1, out errno) < 0 ||
             SuppressSigPipe(fd0, out errno) < 0 || SuppressSigPipe(fd1, out errno) < 0))
        {
            CloseBoth(ref fd0, ref fd1);
            return -1;
        }

        return 0;
    }

    /// <inheritdoc/>
    public int GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno)
    {
        RLimit limit;
        int result = Check(LibC.GetRLimit(NativeConstants.RLIMIT_NOFILE, &limit), out errno);
        (soft, hard) = result < 0 ? (0UL, 0UL) : (limit.Current, limit.Maximum);
        return result;
    }

    /// <inheritdoc/>
    public int SetOpenFileLimit(ulong soft, ulong hard, out Errno errno)
    {
        RLimit limit = new() { Current = soft, Maximum = hard };
        return Check(LibC.SetRLimit(NativeConstants.RLIMIT_NOFILE, &limit), out errno);
    }

    /// <inheritdoc/>
    public int EpollCreate(out Errno errno) => Check(LibC.EpollCreate1(NativeConstants.EPOLL_CLOEXEC), out errno);

    /// <inheritdoc/>
    public int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno)
    {
        // Big enough for either layout; the kernel reads EpollEventLayout.Size bytes.
        byte* ev = stackalloc byte[16];
        EpollEventLayout.Set(ev, 0, events, data);
        return Check(LibC.EpollCtl(epfd, operation, fd, ev), out errno);
    }

    /// <inheritdoc/>
    public int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno) =>
        Check(LibC.EpollWait(epfd, events, maxEvents, timeoutMilliseconds), out errno);

    /// <inheritdoc/>
    public int Poll(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno) =>
        Check(LibC.Poll(fds, (nuint)count, timeoutMilliseconds), out errno);

    /// <inheritdoc/>
    public int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout, out Errno errno) =>
        Check(LibC.Select(nfds, read, write, except, timeout), out errno);

    /// <inheritdoc/>
    public bool IsKqueueAvailable => KqueueLibrary.Instance is not null;

    /// <inheritdoc/>
    public KeventAbi KeventAbi => KqueueLibrary.Instance?.Abi ?? (NativePlatform.IsMacOS ? KeventAbi.Darwin : KeventAbi.FreeBsd);

    /// <inheritdoc/>
    public int Kqueue(out Errno errno)
    {
        KqueueLibrary? library = KqueueLibrary.Instance;
        if (library is null)
        {
            errno = Errno.ENOSYS;
            return -1;
        }

        return library.Kqueue(out errno);
    }

    /// <inheritdoc/>
    public int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno)
    {
        KqueueLibrary? library = KqueueLibrary.Instance;
        if (library is null)
        {
            errno = Errno.ENOSYS;
            return -1;
        }

        return library.Kevent(kq, changes, changeCount, events, eventCount, timeout, out errno);
    }

    private static int Check(int result, out Errno errno)
    {
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return result;
    }

    private static nint Check(nint result, out Errno errno)
    {
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return result;
    }

    private int MakeNonBlockingCloseOnExec(int fd, out Errno errno)
    {
        if (SetNonBlocking(fd, true, out errno) < 0) return -1;
        return Fcntl(fd, NativeConstants.F_SETFD, NativeConstants.FD_CLOEXEC, out errno);
    }

    private int SuppressSigPipe(int fd, out Errno errno)
    {
        // macOS has no MSG_NOSIGNAL; the per-socket option gives the same guarantee.
        errno = Errno.Success;
        if (!NativePlatform.IsMacOS) return 0;
        int on = 1;
        return SetSockOpt(fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_NOSIGPIPE, &on, sizeof(int), out errno);
    }

    private static void CloseBoth(ref int first, ref int second)
    {
        LibC.Close(first);
        LibC.Close(second);
        first = second = -1;
    }
}
