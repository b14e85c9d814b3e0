using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// The raw libc entry points, source-generated (<c>LibraryImport</c>), blittable, each setting the
/// last P/Invoke error. Nothing outside <see cref="LibcSyscalls"/> calls these: everything else goes
/// through <see cref="ISyscalls"/>, so tests can replace the kernel.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Library = "libc";

    static LibC() => LibcResolver.EnsureRegistered();

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Library, EntryPoint = "readv", SetLastError = true)]
    internal static partial nint Readv(int fd, IoVec* vectors, int count);

    [LibraryImport(Library, EntryPoint = "writev", SetLastError = true)]
    internal static partial nint Writev(int fd, IoVec* vectors, int count);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    internal static partial nint Recv(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    internal static partial nint Send(int fd, byte* buffer, nint length, int flags);

    [LibraryImport(Library, EntryPoint = "accept", SetLastError = true)]
    internal static partial int Accept(int fd, byte* address, int* addressLength);

    [LibraryImport(Library, EntryPoint = "accept4", SetLastError = true)]
    internal static partial int Accept4(int fd, byte* address, int* addressLength, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "shutdown", SetLastError = true)]
    internal static partial int Shutdown(int fd, int how);

    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    internal static partial int GetSockOpt(int fd, int level, int name, void* value, int* length);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    internal static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    // Linux's sendfile(out_fd, in_fd, off_t* offset, count); off_t is 64-bit on every 64-bit Linux.
    [LibraryImport(Library, EntryPoint = "sendfile", SetLastError = true)]
    internal static partial nint SendFile(int outFd, int inFd, long* offset, nuint count);

    [LibraryImport(Library, EntryPoint = "socketpair", SetLastError = true)]
    internal static partial int SocketPair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Library, EntryPoint = "pipe", SetLastError = true)]
    internal static partial int Pipe(int* fds);

    [LibraryImport(Library, EntryPoint = "pipe2", SetLastError = true)]
    internal static partial int Pipe2(int* fds, int flags);

    [LibraryImport(Library, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);

    // fcntl is variadic. On x86-64 and Linux arm64 a variadic int travels like a named one; on
    // Apple arm64 variadic arguments go on the stack, so the value is passed after eight
    // register-filling dummies (the ninth argument is the first stack slot, where va_arg looks).
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, nint argument);

    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int FcntlAppleArm64(int fd, int command, nint r2, nint r3, nint r4, nint r5, nint r6, nint r7, nint argument);

    [LibraryImport(Library, EntryPoint = "getrlimit", SetLastError = true)]
    internal static partial int GetRLimit(int resource, RLimit* limit);

    [LibraryImport(Library, EntryPoint = "setrlimit", SetLastError = true)]
    internal static partial int SetRLimit(int resource, RLimit* limit);

    [LibraryImport(Library, EntryPoint = "epoll_create1", SetLastError = true)]
    internal static partial int EpollCreate1(int flags);

    [LibraryImport(Library, EntryPoint = "epoll_ctl", SetLastError = true)]
    internal static partial int EpollCtl(int epfd, int operation, int fd, void* ev);

    [LibraryImport(Library, EntryPoint = "epoll_wait", SetLastError = true)]
    internal static partial int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "select", SetLastError = true)]
    internal static partial int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout);
}
