using System.Text;
using Reactor.Native;

namespace Reactor.Net.Unix;

/// <summary>
/// The lock file a UNIX socket server takes with <c>wantPid</c> (Twisted's <c>FilesystemLock</c>
/// on <c>path + ".lock"</c>): a file holding the owner's pid, locked with flock(2). The kernel
/// drops the lock when its owner dies, however it dies, so a lock file nobody holds is stale and
/// the socket file beside it was left by a dead server.
/// </summary>
/// <remarks>
/// A lock in Twisted's own format (a symbolic link whose target is the pid) is honoured too: it
/// is held while that pid is alive, and removed once it is not. The file is opened with open(2),
/// not FileStream, which takes an flock of its own on open.
/// </remarks>
internal sealed unsafe class UnixSocketLock : IDisposable
{
    private const int Attempts = 5;
    private const int FileMode0644 = 0x1A4;
    private readonly string _path;
    private int _fd;

    private UnixSocketLock(string path, int fd)
    {
        _path = path;
        _fd = fd;
    }

    /// <summary>The lock file's path.</summary>
    public string Path => _path;

    /// <summary>
    /// Takes the lock at <paramref name="lockPath"/>, or returns null (with the holder's pid, if
    /// known) when a live process holds it.
    /// </summary>
    /// <exception cref="IOException">The lock file could not be created, locked or read.</exception>
    public static UnixSocketLock? TryAcquire(string lockPath, out int? holder)
    {
        holder = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (TwistedLockHolder(lockPath) is int twistedOwner)
            {
                if (IsAlive(twistedOwner))
                {
                    holder = twistedOwner;
                    return null;
                }
                File.Delete(lockPath); // a stale Twisted lock: its pid is gone
            }

            var fd = Open(lockPath, DatagramConstants.O_RDWR | DatagramConstants.O_CREAT);
            if (!TryLock(fd))
            {
                holder = ParsePid(ReadAll(fd));
                LibC.Close(fd);
                return null;
            }

            // Locked. Write a token, then check the path still names this file: a previous owner
            // may have unlinked it between our open and our lock (then we locked an orphan).
            var token = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n{Guid.NewGuid():N}\n");
            LibC.Ftruncate(fd, 0);
            fixed (byte* p = token) LibcSyscalls.Instance.Write(fd, p, token.Length, out _);
            if (ReadsBack(lockPath, token)) return new UnixSocketLock(lockPath, fd);
            LibC.Close(fd);
        }
        throw new IOException($"The lock file {lockPath} kept changing hands; try again.");
    }

    /// <summary>True when a live process holds the lock at <paramref name="lockPath"/> (Twisted's <c>isLocked</c>).</summary>
    public static bool IsHeld(string lockPath)
    {
        if (TwistedLockHolder(lockPath) is int twistedOwner) return IsAlive(twistedOwner);
        int fd;
        try
        {
            fd = Open(lockPath, DatagramConstants.O_RDONLY);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        var free = TryLock(fd);
        LibC.Close(fd); // also drops the probe's own lock
        return !free;
    }

    /// <summary>Removes the lock file and releases the lock.</summary>
    public void Dispose()
    {
        var fd = _fd;
        if (fd < 0) return;
        _fd = -1;
        // Unlink first, then unlock: whoever locks the old file next sees that it is gone and retries.
        try
        {
            File.Delete(_path);
        }
        finally
        {
            LibC.Close(fd);
        }
    }

    private static int Open(string path, int flags)
    {
        var fd = LibC.Open(path, flags | DatagramConstants.O_NOFOLLOW | DatagramConstants.O_CLOEXEC, FileMode0644);
        if (fd >= 0) return fd;
        var errno = Errno.FromLastPInvokeError();
        if (errno == Errno.ENOENT) throw new FileNotFoundException($"No lock file at {path}.", path);
        throw errno.ToIOException($"open({path})");
    }

    private static bool TryLock(int fd)
    {
        while (true)
        {
            if (LibC.Flock(fd, DatagramConstants.LOCK_EX | DatagramConstants.LOCK_NB) == 0) return true;
            var errno = Errno.FromLastPInvokeError();
            if (errno == Errno.EINTR) continue;
            if (errno.IsWouldBlock) return false;
            LibC.Close(fd);
            throw errno.ToIOException("flock");
        }
    }

    private static byte[] ReadAll(int fd)
    {
        var buffer = new byte[128];
        nint n;
        fixed (byte* p = buffer) n = LibcSyscalls.Instance.Read(fd, p, buffer.Length, out _);
        return n > 0 ? buffer[..(int)n] : [];
    }

    private static bool ReadsBack(string lockPath, byte[] token)
    {
        int fd;
        try
        {
            fd = Open(lockPath, DatagramConstants.O_RDONLY);
        }
        catch (IOException)
        {
            return false;
        }
        var content = ReadAll(fd);
        LibC.Close(fd);
        return content.AsSpan().SequenceEqual(token);
    }

    private static int? ParsePid(byte[] content)
    {
        var text = Encoding.ASCII.GetString(content);
        var end = text.IndexOf('\n');
        return int.TryParse(end < 0 ? text : text[..end], out var pid) ? pid : null;
    }

    private static int? TwistedLockHolder(string lockPath)
    {
        FileSystemInfo info = new FileInfo(lockPath);
        if (info.LinkTarget is not string target) return null;
        return int.TryParse(target, out var pid) ? pid : -1;
    }

    /// <summary>kill(pid, 0): the process exists (EPERM means it exists but is someone else's).</summary>
    private static bool IsAlive(int pid)
    {
        if (pid <= 0) return false;
        if (LibC.Kill(pid, 0) == 0) return true;
        return Errno.FromLastPInvokeError() != DatagramConstants.ESRCH;
    }
}
