using System.Net.Sockets;

namespace Reactor.Native;

/// <summary>
/// The seam between Reactor and the kernel: every system call a selector or a transport makes.
/// The default is <see cref="LibcSyscalls.Instance"/>; tests pass a fake to inject EINTR, EAGAIN,
/// short writes or spurious hang-ups without a kernel.
/// </summary>
/// <remarks>
/// Every member returns the call's result (−1 on failure, like C) and the errno in an
/// <c>out</c> parameter (<see cref="Errno.Success"/> when the call succeeded). Nothing allocates,
/// nothing throws for an errno, and nothing retries: EINTR and EAGAIN are the caller's to handle
/// (and <see cref="Close"/> must not be retried on EINTR: the descriptor is already gone on Linux).
/// </remarks>
internal unsafe interface ISyscalls
{
    // ---- descriptors ----

    /// <summary>read(2).</summary>
    nint Read(int fd, byte* buffer, nint count, out Errno errno);

    /// <summary>write(2).</summary>
    nint Write(int fd, byte* buffer, nint count, out Errno errno);

    /// <summary>readv(2): scatter into <paramref name="count"/> buffers.</summary>
    nint Readv(int fd, IoVec* vectors, int count, out Errno errno);

    /// <summary>writev(2): gather from <paramref name="count"/> buffers (the .NET runtime ignores SIGPIPE, so a closed peer gives EPIPE).</summary>
    nint Writev(int fd, IoVec* vectors, int count, out Errno errno);

    /// <summary>close(2). Never retry on EINTR.</summary>
    int Close(int fd, out Errno errno);

    /// <summary>Sets or clears O_NONBLOCK with fcntl(F_GETFL/F_SETFL).</summary>
    int SetNonBlocking(int fd, bool nonBlocking, out Errno errno);

    /// <summary>fcntl(2) with an integer argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD).</summary>
    int Fcntl(int fd, int command, nint argument, out Errno errno);

    /// <summary>A pipe whose both ends are non-blocking and close-on-exec (pipe2 where it exists).</summary>
    int CreatePipe(out int readFd, out int writeFd, out Errno errno);

    /// <summary>Linux eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); −1 with ENOSYS elsewhere.</summary>
    int CreateEventFd(out Errno errno);

    // ---- sockets ----

    /// <summary>recv(2) with no flags.</summary>
    nint Recv(int fd, byte* buffer, nint length, out Errno errno);

    /// <summary>send(2) with MSG_NOSIGNAL where the OS has it (Linux, FreeBSD), so a closed peer gives EPIPE and no signal.</summary>
    nint Send(int fd, byte* buffer, nint length, out Errno errno);

    /// <summary>
    /// Accepts a connection; the new descriptor is already non-blocking and close-on-exec
    /// (accept4 on Linux/FreeBSD, accept + fcntl elsewhere). <paramref name="address"/> and
    /// <paramref name="addressLength"/> may be null.
    /// </summary>
    int Accept(int fd, byte* address, int* addressLength, out Errno errno);

    /// <summary>shutdown(2); SocketShutdown's values are SHUT_RD/SHUT_WR/SHUT_RDWR on every OS.</summary>
    int Shutdown(int fd, SocketShutdown how, out Errno errno);

    /// <summary>getsockopt(2) (levels and names from <see cref="NativeConstants"/>).</summary>
    int GetSockOpt(int fd, int level, int name, void* value, int* length, out Errno errno);

    /// <summary>setsockopt(2) (levels and names from <see cref="NativeConstants"/>).</summary>
    int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno);

    /// <summary>getsockopt(SOL_SOCKET, SO_ERROR): reads and clears the socket's pending error into <paramref name="pending"/>.</summary>
    int GetSocketError(int fd, out Errno pending, out Errno errno);

    /// <summary>socketpair(AF_UNIX, <paramref name="type"/>): both ends non-blocking and close-on-exec.</summary>
    int CreateSocketPair(int type, out int fd0, out int fd1, out Errno errno);

    /// <summary>
    /// sendfile(2) on Linux: up to <paramref name="count"/> bytes of <paramref name="inFd"/> from
    /// <c>*offset</c> (advanced by what was sent) to the socket <paramref name="outFd"/>; −1 with ENOSYS elsewhere.
    /// </summary>
    nint SendFile(int outFd, int inFd, long* offset, nuint count, out Errno errno);

    // ---- socket set-up (once per socket, never per read or write) ----

    /// <summary>socket(2); <paramref name="type"/> may carry SOCK_NONBLOCK | SOCK_CLOEXEC where the OS has them.</summary>
    int Socket(int domain, int type, int protocol, out Errno errno);

    /// <summary>bind(2) to the <c>sockaddr</c> at <paramref name="address"/>.</summary>
    int Bind(int fd, byte* address, int length, out Errno errno);

    /// <summary>listen(2).</summary>
    int Listen(int fd, int backlog, out Errno errno);

    /// <summary>connect(2) to the <c>sockaddr</c> at <paramref name="address"/> (non-blocking sockets: EINPROGRESS).</summary>
    int Connect(int fd, byte* address, int length, out Errno errno);

    /// <summary>getsockname(2): <paramref name="length"/> is the capacity on entry and the address's length on return.</summary>
    int GetSockName(int fd, byte* address, int* length, out Errno errno);

    /// <summary>getpeername(2): as <see cref="GetSockName"/>; ENOTCONN for a socket with no peer.</summary>
    int GetPeerName(int fd, byte* address, int* length, out Errno errno);

    // ---- files: a UNIX socket's file and its lock file ----

    /// <summary>open(2) (flags and mode as the OS numbers them).</summary>
    int Open(string path, int flags, int mode, out Errno errno);

    /// <summary>chmod(2): sets a file's permission bits (a UNIX socket file's, between bind and listen).</summary>
    int ChangeMode(string path, int mode, out Errno errno);

    /// <summary>
    /// fchmod(2). On Linux, given an unbound socket, it sets the mode its socket file is created with
    /// by bind(2) (less the umask), so the file is never reachable under a wider mode; the BSDs and
    /// macOS refuse a socket with EINVAL.
    /// </summary>
    int ChangeDescriptorMode(int fd, int mode, out Errno errno);

    /// <summary>flock(2).</summary>
    int Flock(int fd, int operation, out Errno errno);

    /// <summary>ftruncate(2).</summary>
    int Ftruncate(int fd, long length, out Errno errno);

    /// <summary>
    /// kill(<paramref name="pid"/>, 0): 0 when the process exists and may be signalled; −1 with ESRCH
    /// when there is none, EPERM when it exists but belongs to someone else (the owner of a lock file).
    /// </summary>
    int ProbeProcess(int pid, out Errno errno);

    // ---- limits ----

    /// <summary>getrlimit(RLIMIT_NOFILE).</summary>
    int GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno);

    /// <summary>setrlimit(RLIMIT_NOFILE).</summary>
    int SetOpenFileLimit(ulong soft, ulong hard, out Errno errno);

    // ---- epoll (Linux) ----

    /// <summary>epoll_create1(EPOLL_CLOEXEC).</summary>
    int EpollCreate(out Errno errno);

    /// <summary>epoll_ctl with an event built from <paramref name="events"/> and <paramref name="data"/> in this architecture's layout.</summary>
    int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno);

    /// <summary>epoll_wait into <paramref name="events"/>, laid out as <see cref="EpollEventLayout"/> says.</summary>
    int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno);

    // ---- poll / select ----

    /// <summary>poll(2).</summary>
    int Poll(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno);

    /// <summary>select(2); null sets and a null timeout are allowed.</summary>
    int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout, out Errno errno);

    // ---- kqueue (macOS/BSD, or an emulation named by REACTOR_KQUEUE_LIBRARY) ----

    /// <summary>True when kqueue/kevent could be loaded (natively or from REACTOR_KQUEUE_LIBRARY).</summary>
    bool IsKqueueAvailable { get; }

    /// <summary>The <c>struct kevent</c> ABI of the loaded kqueue library.</summary>
    KeventAbi KeventAbi { get; }

    /// <summary>kqueue(2); −1 with ENOSYS when <see cref="IsKqueueAvailable"/> is false.</summary>
    int Kqueue(out Errno errno);

    /// <summary>kevent(2) over arrays laid out as <see cref="KeventLayout"/> says for <see cref="KeventAbi"/>.</summary>
    int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno);
}
