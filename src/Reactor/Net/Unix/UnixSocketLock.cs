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
/// not FileStream, which takes an flock of its own on open. Every call goes through the host's
/// <see cref="ISyscalls"/>, so a test can watch or fail them.
/// </remarks>
internal sealed unsafe class UnixSocketLock : IDisposable
{
    private const int Attempts = 5;
    private const int FileMode0644 = 0x1A4;
    private readonly ISyscalls _syscalls;
    private readonly string _path;
    private int _fd;

    private UnixSocketLock(ISyscalls syscalls, string path, int fd)
    {
        _syscalls = syscalls;
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
    public static UnixSocketLock? TryAcquire(ISyscalls syscalls, string lockPath, out int? holder)
    {
        holder = null;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            if (TwistedLockHolder(lockPath) is int twistedOwner)
            {
                if (IsAlive(syscalls, twistedOwner))
                {
                    holder = twistedOwner;
                    return null;
                }
                File.Delete(lockPath); // a stale Twisted lock: its pid is gone
            }

            var fd = Open(syscalls, lockPath, DatagramConstants.O_RDWR | DatagramConstants.O_CREAT);
            if (!TryLock(syscalls, fd))
            {
                holder = ParsePid(ReadAll(syscalls, fd));
                syscalls.Close(fd, out _);
                return null;
            }

            // Locked. Write a token, then check the path still names this file: a previous owner
            // may have unlinked it between our open and our lock (then we locked an orphan).
            var token = Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n{Guid.NewGuid():N}\n");
            syscalls.Ftruncate(fd, 0, out _);
            fixed (byte* p = token) syscalls.Write(fd, p, token.Length, out _);
            if (ReadsBack(syscalls, lockPath, token)) return new UnixSocketLock(syscalls, lockPath, fd);
            syscalls.Close(fd, out _);
        }
        throw new IOException($"The lock file {lockPath} kept changing hands; try again.");
    }

    /// <summary>True when a live process holds the lock at <paramref name="lockPath"/> (Twisted's <c>isLocked</c>).</summary>
    public static bool IsHeld(ISyscalls syscalls, string lockPath)
    {
        if (TwistedLockHolder(lockPath) is int twistedOwner) return IsAlive(syscalls, twistedOwner);
        int fd;
        try
        {
            fd = Open(syscalls, lockPath, DatagramConstants.O_RDONLY);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        var free = TryLock(syscalls, fd);
        syscalls.Close(fd, out _); // also drops the probe's own lock
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
            _syscalls.Close(fd, out _);
        }
    }

    private static int Open(ISyscalls syscalls, string path, int flags)
    {
        var fd = syscalls.Open(path, flags | DatagramConstants.O_NOFOLLOW | DatagramConstants.O_CLOEXEC, FileMode0644, out var errno);
        if (fd >= 0) return fd;
        if (errno == Errno.ENOENT) throw new FileNotFoundException($"No lock file at {path}.", path);
        throw errno.ToIOException($"open({path})");
    }

    private static bool TryLock(ISyscalls syscalls, int fd)
    {
        while (true)
        {
            if (syscalls.Flock(fd, DatagramConstants.LOCK_EX | DatagramConstants.LOCK_NB, out var errno) == 0) return true;
            if (errno == Errno.EINTR) continue;
            if (errno.IsWouldBlock) return false;
            syscalls.Close(fd, out _);
            throw errno.ToIOException("flock");
        }
    }

    private static byte[] ReadAll(ISyscalls syscalls, int fd)
    {
        var buffer = new byte[128];
        nint n;
        fixed (byte* p = buffer) n = syscalls.Read(fd, p, buffer.Length, out _);
        return n > 0 ? buffer[..(int)n] : [];
    }

    private static bool ReadsBack(ISyscalls syscalls, string lockPath, byte[] token)
    {
        int fd;
        try
        {
            fd = Open(syscalls, lockPath, DatagramConstants.O_RDONLY);
        }
        catch (IOException)
        {
            return false;
        }
        var content = ReadAll(syscalls, fd);
        syscalls.Close(fd, out _);
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
    private static bool IsAlive(ISyscalls syscalls, int pid)
    {
        if (pid <= 0) return false;
        if (syscalls.ProbeProcess(pid, out var errno) == 0) return true;
        return errno != DatagramConstants.ESRCH;
    }
}
