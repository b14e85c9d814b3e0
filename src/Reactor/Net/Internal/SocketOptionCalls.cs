using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>
/// What every <see cref="Protocols.ISocketOptions"/> implementation does with its descriptor: the
/// transports and ports only say which descriptor and what they are called.
/// </summary>
internal static unsafe class SocketOptionCalls
{
    public static int Get(ISyscalls syscalls, int fd, object owner, SocketOptionLevel level, SocketOptionName name)
    {
        if (level == SocketOptionLevel.Socket && name == SocketOptionName.Linger) throw LingerIsNotAnInteger();
        var (l, n) = SocketOptionNames.Map(level, name);
        ThrowIfClosed(fd, owner);
        return SocketOptions.GetInt(syscalls, fd, l, n);
    }

    public static void Set(ISyscalls syscalls, int fd, object owner, SocketOptionLevel level, SocketOptionName name, int value)
    {
        if (level == SocketOptionLevel.Socket && name == SocketOptionName.Linger) throw LingerIsNotAnInteger();
        var (l, n) = SocketOptionNames.Map(level, name);
        ThrowIfClosed(fd, owner);
        var errno = SocketOptions.SetInt(syscalls, fd, l, n, value);
        if (!errno.IsSuccess) throw errno.ToSocketException();
    }

    public static LingerOption GetLinger(ISyscalls syscalls, int fd, object owner)
    {
        ThrowIfClosed(fd, owner);
        // struct linger { int l_onoff; int l_linger; }
        var linger = stackalloc int[2];
        int length = 2 * sizeof(int);
        if (syscalls.GetSockOpt(fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_LINGER, linger, &length, out var errno) < 0) throw errno.ToSocketException();
        return new LingerOption(linger[0] != 0, linger[1]);
    }

    public static void SetLinger(ISyscalls syscalls, int fd, object owner, LingerOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentOutOfRangeException.ThrowIfNegative(option.LingerTime, nameof(option));
        ThrowIfClosed(fd, owner);
        var linger = stackalloc int[2] { option.Enabled ? 1 : 0, option.LingerTime };
        syscalls.SetSockOpt(fd, NativeConstants.SOL_SOCKET, NativeConstants.SO_LINGER, linger, 2 * sizeof(int), out var errno);
        if (!errno.IsSuccess) throw errno.ToSocketException();
    }

    public static int GetRaw(ISyscalls syscalls, int fd, object owner, int level, int name, Span<byte> value)
    {
        ThrowIfClosed(fd, owner);
        int length = value.Length;
        fixed (byte* p = value)
        {
            if (syscalls.GetSockOpt(fd, level, name, p, &length, out var errno) < 0) throw errno.ToSocketException();
        }
        return length;
    }

    public static void SetRaw(ISyscalls syscalls, int fd, object owner, int level, int name, ReadOnlySpan<byte> value)
    {
        ThrowIfClosed(fd, owner);
        fixed (byte* p = value)
        {
            syscalls.SetSockOpt(fd, level, name, p, value.Length, out var errno);
            if (!errno.IsSuccess) throw errno.ToSocketException();
        }
    }

    private static void ThrowIfClosed(int fd, object owner)
    {
        if (fd < 0) throw new ObjectDisposedException(owner.ToString(), "The socket is closed.");
    }

    private static ArgumentException LingerIsNotAnInteger() =>
        new("SO_LINGER is a (on, seconds) pair: use GetLinger/SetLinger.", "name");
}
