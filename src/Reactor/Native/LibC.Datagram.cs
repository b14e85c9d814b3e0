using System.Runtime.InteropServices;

namespace Reactor.Native;

// The libc entry points the datagram and UNIX-socket transports need beyond the stream ones:
// addressed reads and writes, ancillary data (SCM_RIGHTS), the lock-file calls and the
// liveness probe for a lock's owner. Reached only through the Libc*Syscalls classes in this
// folder (the lock-file calls through ISyscalls).
internal static unsafe partial class LibC
{
    [LibraryImport(Library, EntryPoint = "recvfrom", SetLastError = true)]
    internal static partial nint RecvFrom(int fd, byte* buffer, nint length, int flags, byte* address, int* addressLength);

    [LibraryImport(Library, EntryPoint = "sendto", SetLastError = true)]
    internal static partial nint SendTo(int fd, byte* buffer, nint length, int flags, byte* address, int addressLength);

    [LibraryImport(Library, EntryPoint = "recvmsg", SetLastError = true)]
    internal static partial nint RecvMsg(int fd, void* message, int flags);

    [LibraryImport(Library, EntryPoint = "sendmsg", SetLastError = true)]
    internal static partial nint SendMsg(int fd, void* message, int flags);

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}

// open(2) and ftruncate(2) for the UNIX-socket lock file: FileStream would take its own flock
// (LOCK_SH) on open and make every probe of a held lock fail with a sharing violation.
internal static unsafe partial class LibC
{
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, int mode);

    [LibraryImport(Library, EntryPoint = "ftruncate", SetLastError = true)]
    internal static partial int Ftruncate(int fd, long length);
}
