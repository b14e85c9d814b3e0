using System.Runtime.InteropServices;
using System.Text;

namespace Reactor.Native;

/// <summary>The process system calls through libc (see <see cref="IProcessSyscalls"/>).</summary>
internal sealed unsafe class LibcProcessSyscalls : IProcessSyscalls
{
    /// <summary>The one instance.</summary>
    public static readonly LibcProcessSyscalls Instance = new();

    // Entry points that may be missing from an older or different C library, found out once.
    private static bool s_noCloseFrom;
    private static bool s_noChdir;

    private LibcProcessSyscalls() { }

    /// <inheritdoc/>
    public int Spawn(SpawnRequest request, out int pid, out Errno errno)
    {
        if (request.UserId is null && request.GroupId is null) return SpawnHere(request, out pid, out errno);

        // posix_spawn cannot change credentials, but its child is a clone of the calling thread and
        // inherits that thread's credentials. The raw setresuid/setresgid/setgroups system calls
        // change only the calling thread (glibc's wrappers would change every thread), so a
        // throw-away thread takes the child's identity, spawns, and ends; no other thread of this
        // process ever runs with it. This needs the privilege to change ids (root or CAP_SETUID/SETGID).
        int result = -1, childPid = 0;
        Errno error = Errno.Success;
        var thread = new Thread(() => result = SpawnAs(request, out childPid, out error))
        {
            IsBackground = true,
            Name = "Reactor spawn (credentials)",
        };
        thread.Start();
        thread.Join();
        pid = childPid;
        errno = error;
        return result;
    }

    private static int SpawnAs(SpawnRequest request, out int pid, out Errno errno)
    {
        pid = 0;
        if (!NativePlatform.IsLinux || ProcessConstants.SYS_setresuid == 0)
        {
            errno = Errno.ENOSYS;
            return -1;
        }
        if (request.GroupId is int gid)
        {
            uint group = (uint)gid;
            if (LibC.Syscall(ProcessConstants.SYS_setgroups, 1, (nint)(&group), 0, 0) < 0
                || LibC.Syscall(ProcessConstants.SYS_setresgid, gid, gid, gid, 0) < 0)
            {
                errno = Errno.FromLastPInvokeError();
                return -1;
            }
        }
        if (request.UserId is int uid && LibC.Syscall(ProcessConstants.SYS_setresuid, uid, uid, uid, 0) < 0)
        {
            errno = Errno.FromLastPInvokeError();
            return -1;
        }
        return SpawnHere(request, out pid, out errno);
    }

    private static int SpawnHere(SpawnRequest request, out int pid, out Errno errno)
    {
        var allocations = new List<IntPtr>();
        byte* actions = stackalloc byte[ProcessConstants.SpawnObjectSize];
        byte* attributes = stackalloc byte[ProcessConstants.SpawnObjectSize];
        byte* mask = stackalloc byte[ProcessConstants.SigSetSize];
        byte* defaults = stackalloc byte[ProcessConstants.SigSetSize];
        new Span<byte>(actions, ProcessConstants.SpawnObjectSize).Clear();
        new Span<byte>(attributes, ProcessConstants.SpawnObjectSize).Clear();
        int childPid = 0;
        int error;
        LibC.SpawnFileActionsInit(actions);
        LibC.SpawnAttrInit(attributes);
        try
        {
            byte* path = Utf8(request.Path, allocations);
            byte** argv = StringArray(request.Argv, allocations);
            byte** envp = StringArray(request.Environment, allocations);

            short flags = (short)(ProcessConstants.POSIX_SPAWN_SETSIGMASK | ProcessConstants.POSIX_SPAWN_SETSIGDEF);
            if (request.NewSession || request.TerminalPath is not null)
            {
                if (ProcessConstants.POSIX_SPAWN_SETSID == 0)
                {
                    errno = Errno.ENOSYS;
                    pid = 0;
                    return -1;
                }
                flags |= ProcessConstants.POSIX_SPAWN_SETSID;
            }
            if (NativePlatform.IsMacOS) flags |= ProcessConstants.POSIX_SPAWN_CLOEXEC_DEFAULT;
            LibC.SigEmptySet(mask);
            LibC.SigFillSet(defaults);
            LibC.SpawnAttrSetSigMask(attributes, mask);
            LibC.SpawnAttrSetSigDefault(attributes, defaults);
            LibC.SpawnAttrSetFlags(attributes, flags);

            error = AddDescriptorActions(actions, request, allocations);
            if (error == 0 && request.WorkingDirectory is not null) error = AddChdir(actions, Utf8(request.WorkingDirectory, allocations));
            if (error == 0) error = LibC.PosixSpawn(&childPid, path, actions, attributes, argv, envp);
        }
        finally
        {
            LibC.SpawnFileActionsDestroy(actions);
            LibC.SpawnAttrDestroy(attributes);
            foreach (var p in allocations) Marshal.FreeCoTaskMem(p);
        }
        pid = childPid;
        errno = new Errno(error);
        return error == 0 ? 0 : -1;
    }

    private static int AddDescriptorActions(byte* actions, SpawnRequest request, List<IntPtr> allocations)
    {
        int highestTarget = 2;
        int error;
        if (request.TerminalPath is not null)
        {
            // Opened after setsid and without O_NOCTTY: it becomes the child's controlling terminal.
            error = LibC.SpawnFileActionsAddOpen(actions, 0, Utf8(request.TerminalPath, allocations), ProcessConstants.O_RDWR, 0);
            if (error == 0) error = LibC.SpawnFileActionsAddDup2(actions, 0, 1);
            if (error == 0) error = LibC.SpawnFileActionsAddDup2(actions, 0, 2);
            if (error != 0) return error;
        }
        else
        {
            highestTarget = -1;
            foreach (var (source, target) in request.Descriptors)
            {
                // Every source is numbered above every target, so no dup2 overwrites a later source;
                // dup2 to a different number leaves the target without close-on-exec.
                error = LibC.SpawnFileActionsAddDup2(actions, source, target);
                if (error != 0) return error;
                highestTarget = Math.Max(highestTarget, target);
            }
            if (!NativePlatform.IsMacOS)
            {
                // Descriptors below the highest target that the map leaves out are closed too
                // (Twisted's childFDs: a child fd not named is closed). EBADF on one that was not
                // open is ignored by the C library.
                for (int fd = 0; fd < highestTarget; fd++)
                {
                    if (!IsTarget(request.Descriptors, fd) && (error = LibC.SpawnFileActionsAddClose(actions, fd)) != 0) return error;
                }
            }
        }
        // Everything above the map is closed in the child even if someone forgot close-on-exec.
        // macOS does this with POSIX_SPAWN_CLOEXEC_DEFAULT instead.
        if (NativePlatform.IsLinux && !s_noCloseFrom)
        {
            try
            {
                error = LibC.SpawnFileActionsAddCloseFrom(actions, highestTarget + 1);
                if (error != 0) return error;
            }
            catch (EntryPointNotFoundException)
            {
                s_noCloseFrom = true; // glibc < 2.34 or musl: close-on-exec is all there is.
            }
        }
        return 0;
    }

    private static int AddChdir(byte* actions, byte* directory)
    {
        if (s_noChdir) return Errno.ENOSYS.Value;
        try
        {
            return LibC.SpawnFileActionsAddChdir(actions, directory);
        }
        catch (EntryPointNotFoundException)
        {
            s_noChdir = true;
            return Errno.ENOSYS.Value;
        }
    }

    private static bool IsTarget(IReadOnlyList<(int Source, int Target)> map, int fd)
    {
        foreach (var (_, target) in map)
        {
            if (target == fd) return true;
        }
        return false;
    }

    private static byte* Utf8(string value, List<IntPtr> allocations)
    {
        var p = Marshal.StringToCoTaskMemUTF8(value);
        allocations.Add(p);
        return (byte*)p;
    }

    private static byte** StringArray(IReadOnlyList<string> values, List<IntPtr> allocations)
    {
        var array = (byte**)Marshal.AllocCoTaskMem((values.Count + 1) * IntPtr.Size);
        allocations.Add((IntPtr)array);
        for (int i = 0; i < values.Count; i++) array[i] = Utf8(values[i], allocations);
        array[values.Count] = null;
        return array;
    }

    /// <inheritdoc/>
    public int PidFdOpen(int pid, out Errno errno)
    {
        if (!NativePlatform.IsLinux)
        {
            errno = Errno.ENOSYS;
            return -1;
        }
        var fd = LibC.Syscall(ProcessConstants.SYS_pidfd_open, pid, 0, 0, 0);
        errno = fd < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return (int)fd;
    }

    /// <inheritdoc/>
    public int PidFdSendSignal(int pidFd, int signal, out Errno errno)
    {
        var result = LibC.Syscall(ProcessConstants.SYS_pidfd_send_signal, pidFd, signal, 0, 0);
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return (int)result;
    }

    /// <inheritdoc/>
    public int WaitPidFd(int pidFd, out ChildExitStatus status, out Errno errno)
    {
        byte* info = stackalloc byte[ProcessConstants.SigInfoSize];
        new Span<byte>(info, ProcessConstants.SigInfoSize).Clear();
        status = default;
        if (LibC.WaitId(ProcessConstants.P_PIDFD, pidFd, info, ProcessConstants.WEXITED | ProcessConstants.WNOHANG) < 0)
        {
            errno = Errno.FromLastPInvokeError();
            return -1;
        }
        errno = Errno.Success;
        // WNOHANG and nothing to reap: waitid leaves si_pid zero.
        if (*(int*)(info + ProcessConstants.SigInfoPidOffset) == 0) return 0;
        status = ChildExitStatus.FromSigInfo(*(int*)(info + ProcessConstants.SigInfoCodeOffset), *(int*)(info + ProcessConstants.SigInfoStatusOffset));
        return 1;
    }

    /// <inheritdoc/>
    public int WaitPid(int pid, out ChildExitStatus status, out Errno errno)
    {
        int raw = 0;
        int result = LibC.WaitPid(pid, &raw, ProcessConstants.WNOHANG);
        status = default;
        if (result < 0)
        {
            errno = Errno.FromLastPInvokeError();
            return -1;
        }
        errno = Errno.Success;
        if (result == 0) return 0;
        status = ChildExitStatus.FromWaitStatus(raw);
        return 1;
    }

    /// <inheritdoc/>
    public int Kill(int pid, int signal, out Errno errno)
    {
        int result = LibC.Kill(pid, signal);
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return result;
    }

    /// <inheritdoc/>
    public int DuplicateAbove(int fd, int minimum, out Errno errno) =>
        LibcSyscalls.Instance.Fcntl(fd, ProcessConstants.F_DUPFD_CLOEXEC, minimum, out errno);

    /// <inheritdoc/>
    public bool IsExecutable(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            return LibC.Access(p, ProcessConstants.X_OK) == 0;
        }
    }

    /// <inheritdoc/>
    public int OpenPseudoTerminal(out int master, out string terminalPath, out Errno errno)
    {
        terminalPath = "";
        master = LibC.PosixOpenPt(ProcessConstants.O_RDWR | ProcessConstants.O_NOCTTY | ProcessConstants.O_CLOEXEC);
        if (master < 0)
        {
            errno = Errno.FromLastPInvokeError();
            return -1;
        }
        byte* name = stackalloc byte[256];
        int error;
        if (LibC.GrantPt(master) < 0 || LibC.UnlockPt(master) < 0)
        {
            error = Marshal.GetLastPInvokeError();
        }
        else
        {
            error = LibC.PtsNameR(master, name, 256);
        }
        if (error == 0 && LibcSyscalls.Instance.SetNonBlocking(master, true, out var flagsError) < 0) error = flagsError.Value;
        if (error != 0)
        {
            LibC.Close(master);
            master = -1;
            errno = new Errno(error);
            return -1;
        }
        terminalPath = Marshal.PtrToStringUTF8((IntPtr)name)!;
        errno = Errno.Success;
        return 0;
    }
}
