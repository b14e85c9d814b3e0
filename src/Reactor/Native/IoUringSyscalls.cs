using System.Runtime.InteropServices;

namespace Reactor.Native;

/// <summary>
/// The kernel seam of the io_uring backend: the three io_uring syscalls and the mappings of its
/// rings. Results follow the raw syscall convention (-errno on failure), as the kernel returns them,
/// so a test can refuse io_uring (ENOSYS, EPERM from <c>kernel.io_uring_disabled</c> or seccomp) and
/// watch the reactor fall back to epoll.
/// </summary>
internal unsafe interface IIoUringSyscalls
{
    /// <summary>io_uring_setup(2): the ring's descriptor, or -errno.</summary>
    int Setup(uint entries, IoUringParams* parameters);

    /// <summary>io_uring_enter(2): SQEs consumed, or -errno.</summary>
    int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize);

    /// <summary>io_uring_register(2): 0 (or a count), or -errno.</summary>
    int Register(int ringFd, uint opcode, void* argument, uint count);

    /// <summary>mmap(2) of one of the ring's regions: the address, or null with <paramref name="errno"/>.</summary>
    void* Map(int ringFd, nuint length, long offset, out Errno errno);

    /// <summary>munmap(2).</summary>
    void Unmap(void* address, nuint length);

    /// <summary>
    /// Private anonymous memory for the provided buffers (mmap(2), released with <see cref="Unmap"/>),
    /// advised to be backed by transparent huge pages (madvise(MADV_HUGEPAGE); where the kernel has
    /// none, the advice is refused and ignored): the address, or null with <paramref name="errno"/>.
    /// </summary>
    void* MapBuffers(nuint length, out Errno errno);
}

/// <summary>The real kernel, through libc's syscall(2) (glibc has no io_uring wrappers).</summary>
internal sealed unsafe partial class LibcIoUringSyscalls : IIoUringSyscalls
{
    public static readonly LibcIoUringSyscalls Instance = new();

    static LibcIoUringSyscalls() => LibcResolver.EnsureRegistered();

    /// <inheritdoc/>
    public int Setup(uint entries, IoUringParams* parameters) => Raw(Syscall(IoUringAbi.SysSetup, (nint)entries, (nint)parameters, 0, 0, 0, 0));

    /// <inheritdoc/>
    public int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize) =>
        Raw(Syscall(IoUringAbi.SysEnter, ringFd, (nint)toSubmit, (nint)minComplete, (nint)flags, (nint)argument, (nint)argumentSize));

    /// <inheritdoc/>
    public int Register(int ringFd, uint opcode, void* argument, uint count) =>
        Raw(Syscall(IoUringAbi.SysRegister, ringFd, (nint)opcode, (nint)argument, (nint)count, 0, 0));

    /// <inheritdoc/>
    public void* Map(int ringFd, nuint length, long offset, out Errno errno)
    {
        var address = Mmap(null, length, IoUringAbi.ProtRead | IoUringAbi.ProtWrite, IoUringAbi.MapShared | IoUringAbi.MapPopulate, ringFd, offset);
        if (address == (void*)-1)
        {
            errno = Errno.FromLastPInvokeError();
            return null;
        }
        errno = Errno.Success;
        return address;
    }

    /// <inheritdoc/>
    public void Unmap(void* address, nuint length) => Munmap(address, length);

    /// <inheritdoc/>
    public void* MapBuffers(nuint length, out Errno errno)
    {
        var address = Mmap(null, length, IoUringAbi.ProtRead | IoUringAbi.ProtWrite, IoUringAbi.MapPrivate | IoUringAbi.MapAnonymous, -1, 0);
        if (address == (void*)-1)
        {
            errno = Errno.FromLastPInvokeError();
            return null;
        }
        // The kernel fills these buffers in turn, each 64 KiB, 16 MiB round: with 4 KiB pages nearly
        // every receive misses the TLB (a two-level page walk in a VM), and perf showed the receive copy
        // costing 2.5x epoll's into its one hot read buffer. Huge pages cover the ring with 8 entries.
        // A kernel without transparent huge pages refuses the advice: 4 KiB pages, as before.
        Madvise(address, length, IoUringAbi.MadvHugePage);
        errno = Errno.Success;
        return address;
    }

    // syscall(2) returns -1 and sets errno; the ring code wants the kernel's -errno.
    private static int Raw(long result) => result < 0 ? -Marshal.GetLastPInvokeError() : (int)result;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, nint a1, nint a2, nint a3, nint a4, nint a5, nint a6);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Mmap(void* address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(void* address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(void* address, nuint length);
}
