using Reactor.Native;

namespace Reactor.Tests.Selectors;

/// <summary>Non-blocking AF_UNIX stream pairs for selector tests, closed on Dispose.</summary>
internal sealed unsafe class SocketPairs : IDisposable
{
    private readonly List<int> _open = [];

    /// <summary>A new connected pair.</summary>
    public (int Local, int Peer) Create()
    {
        if (LibcSyscalls.Instance.CreateSocketPair(NativeConstants.SOCK_STREAM, out int a, out int b, out Errno errno) < 0)
            throw errno.ToIOException("socketpair");
        _open.Add(a);
        _open.Add(b);
        return (a, b);
    }

    /// <summary>Writes <paramref name="count"/> bytes to <paramref name="fd"/>.</summary>
    public static void Send(int fd, int count = 1)
    {
        byte* data = stackalloc byte[count];
        nint sent = LibcSyscalls.Instance.Write(fd, data, count, out Errno errno);
        if (sent != count) throw errno.ToIOException("write");
    }

    /// <summary>Reads whatever is pending on <paramref name="fd"/>; returns the byte count (0 on EOF, −1 on EAGAIN).</summary>
    public static nint Drain(int fd)
    {
        byte* buffer = stackalloc byte[4096];
        nint total = 0;
        while (true)
        {
            nint n = LibcSyscalls.Instance.Read(fd, buffer, 4096, out Errno errno);
            if (n > 0)
            {
                total += n;
                continue;
            }

            if (n == 0) return total;
            return total > 0 ? total : (errno.IsWouldBlock ? -1 : throw errno.ToIOException("read"));
        }
    }

    /// <summary>Closes <paramref name="fd"/> now (and not again on Dispose).</summary>
    public void Close(int fd)
    {
        if (_open.Remove(fd)) LibcSyscalls.Instance.Close(fd, out _);
    }

    /// <summary>Fills <paramref name="fd"/>'s send buffer until the kernel refuses more.</summary>
    public static void FillSendBuffer(int fd)
    {
        byte* chunk = stackalloc byte[65536];
        while (LibcSyscalls.Instance.Write(fd, chunk, 65536, out _) > 0)
        {
        }
    }

    /// <summary>Closes every descriptor still open.</summary>
    public void Dispose()
    {
        foreach (int fd in _open) LibcSyscalls.Instance.Close(fd, out _);
        _open.Clear();
    }
}
