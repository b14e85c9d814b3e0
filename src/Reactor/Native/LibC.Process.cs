using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// The libc entry points for child processes and pseudo-terminals: posix_spawn and its attribute
/// and file-action builders, waitid/waitpid, kill, the raw <c>syscall</c> for the Linux-only calls
/// glibc may lack a wrapper for (pidfd_open, pidfd_send_signal, the per-thread credential calls),
/// and the POSIX pty functions. Only <see cref="LibcProcessSyscalls"/> calls these.
/// </summary>
internal static unsafe partial class LibC
{
    [LibraryImport(Library, EntryPoint = "posix_spawn")]
    internal static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_init")]
    internal static partial int SpawnFileActionsInit(void* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_destroy")]
    internal static partial int SpawnFileActionsDestroy(void* fileActions);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_adddup2")]
    internal static partial int SpawnFileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addclose")]
    internal static partial int SpawnFileActionsAddClose(void* fileActions, int fd);

    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addopen")]
    internal static partial int SpawnFileActionsAddOpen(void* fileActions, int fd, byte* path, int flags, uint mode);

    // glibc ≥ 2.29, macOS ≥ 10.15, FreeBSD ≥ 13.1.
    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    internal static partial int SpawnFileActionsAddChdir(void* fileActions, byte* path);

    // glibc ≥ 2.34 (close_range in the child); absent on musl and macOS.
    [LibraryImport(Library, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    internal static partial int SpawnFileActionsAddCloseFrom(void* fileActions, int lowFd);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_init")]
    internal static partial int SpawnAttrInit(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_destroy")]
    internal static partial int SpawnAttrDestroy(void* attributes);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setflags")]
    internal static partial int SpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigmask")]
    internal static partial int SpawnAttrSetSigMask(void* attributes, void* mask);

    [LibraryImport(Library, EntryPoint = "posix_spawnattr_setsigdefault")]
    internal static partial int SpawnAttrSetSigDefault(void* attributes, void* signals);

    [LibraryImport(Library, EntryPoint = "sigemptyset")]
    internal static partial int SigEmptySet(void* set);

    [LibraryImport(Library, EntryPoint = "sigfillset")]
    internal static partial int SigFillSet(void* set);

    [LibraryImport(Library, EntryPoint = "waitid", SetLastError = true)]
    internal static partial int WaitId(int idType, int id, void* info, int options);

    [LibraryImport(Library, EntryPoint = "waitpid", SetLastError = true)]
    internal static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Library, EntryPoint = "access", SetLastError = true)]
    internal static partial int Access(byte* path, int mode);

    // syscall(2) is variadic; on x86-64 and Linux arm64 (the only places it is used: Linux
    // system calls) variadic integers travel exactly like named ones.
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true)]
    internal static partial nint Syscall(nint number, nint a1, nint a2, nint a3, nint a4);

    [LibraryImport(Library, EntryPoint = "posix_openpt", SetLastError = true)]
    internal static partial int PosixOpenPt(int flags);

    [LibraryImport(Library, EntryPoint = "grantpt", SetLastError = true)]
    internal static partial int GrantPt(int fd);

    [LibraryImport(Library, EntryPoint = "unlockpt", SetLastError = true)]
    internal static partial int UnlockPt(int fd);

    [LibraryImport(Library, EntryPoint = "ptsname_r", SetLastError = true)]
    internal static partial int PtsNameR(int fd, byte* buffer, nuint length);

    [LibraryImport(Library, EntryPoint = "dup", SetLastError = true)]
    internal static partial int Dup(int fd);
}
