namespace Reactor.Native;

// The ISyscalls members that run once per socket or per file, never per read or write: socket
// set-up, sendfile, and the files of a UNIX socket (its mode, its lock file). Same conventions
// as the rest of the class: the result, and errno in an out parameter.
internal sealed unsafe partial class LibcSyscalls
{
    /// <inheritdoc/>
    public nint SendFile(int outFd, int inFd, long* offset, nuint count, out Errno errno)
    {
        if (!NativePlatform.IsLinux)
        {
            // The BSDs' sendfile has another signature; the transport reads and writes instead.
            errno = Errno.ENOSYS;
            return -1;
        }
        return Check(LibC.SendFile(outFd, inFd, offset, count), out errno);
    }

    /// <inheritdoc/>
    public int Socket(int domain, int type, int protocol, out Errno errno) => Check(LibC.Socket(domain, type, protocol), out errno);

    /// <inheritdoc/>
    public int Bind(int fd, byte* address, int length, out Errno errno) => Check(LibC.Bind(fd, address, length), out errno);

    /// <inheritdoc/>
    public int Listen(int fd, int backlog, out Errno errno) => Check(LibC.Listen(fd, backlog), out errno);

    /// <inheritdoc/>
    public int Connect(int fd, byte* address, int length, out Errno errno) => Check(LibC.Connect(fd, address, length), out errno);

    /// <inheritdoc/>
    public int GetSockName(int fd, byte* address, int* length, out Errno errno) => Check(LibC.GetSockName(fd, address, length), out errno);

    /// <inheritdoc/>
    public int GetPeerName(int fd, byte* address, int* length, out Errno errno) => Check(LibC.GetPeerName(fd, address, length), out errno);

    /// <inheritdoc/>
    public int Open(string path, int flags, int mode, out Errno errno) => Check(LibC.Open(path, flags, mode), out errno);

    /// <inheritdoc/>
    public int ChangeMode(string path, int mode, out Errno errno) => Check(LibC.Chmod(path, mode), out errno);

    /// <inheritdoc/>
    public int ChangeDescriptorMode(int fd, int mode, out Errno errno) => Check(LibC.Fchmod(fd, mode), out errno);

    /// <inheritdoc/>
    public int Flock(int fd, int operation, out Errno errno) => Check(LibC.Flock(fd, operation), out errno);

    /// <inheritdoc/>
    public int Ftruncate(int fd, long length, out Errno errno) => Check(LibC.Ftruncate(fd, length), out errno);

    /// <inheritdoc/>
    public int ProbeProcess(int pid, out Errno errno) => Check(LibC.Kill(pid, 0), out errno);
}
