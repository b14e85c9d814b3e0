using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>
/// Maps .NET's <see cref="SocketOptionLevel"/>/<see cref="SocketOptionName"/> (Winsock's numbers)
/// to this OS's setsockopt level and name. Values from Linux's and the BSDs' socket headers.
/// </summary>
internal static class SocketOptionNames
{
    private static readonly bool Linux = NativePlatform.IsLinux;
    private static readonly bool MacOS = NativePlatform.IsMacOS;

    /// <summary>The OS's (level, name) for an option, or throws naming it.</summary>
    /// <exception cref="ArgumentException">No equivalent here.</exception>
    public static (int Level, int Name) Map(SocketOptionLevel level, SocketOptionName name)
    {
        var mapped = level switch
        {
            SocketOptionLevel.Socket => (NativeConstants.SOL_SOCKET, SocketLevel(name)),
            SocketOptionLevel.Tcp => (NativeConstants.IPPROTO_TCP, TcpLevel(name)),
            SocketOptionLevel.IP => (0, IpLevel(name)),
            SocketOptionLevel.IPv6 => (41, IPv6Level(name)),
            _ => (0, -1),
        };
        if (mapped.Item2 < 0)
        {
            throw new ArgumentException(
                $"{level}/{name} has no equivalent on this OS; use SetRawSocketOption/GetRawSocketOption with the OS's numbers.", nameof(name));
        }
        return mapped;
    }

    private static int SocketLevel(SocketOptionName name) => name switch
    {
        SocketOptionName.ReuseAddress => NativeConstants.SO_REUSEADDR,
        SocketOptionName.KeepAlive => NativeConstants.SO_KEEPALIVE,
        SocketOptionName.SendBuffer => NativeConstants.SO_SNDBUF,
        SocketOptionName.ReceiveBuffer => NativeConstants.SO_RCVBUF,
        SocketOptionName.Error => NativeConstants.SO_ERROR,
        SocketOptionName.Broadcast => Linux ? 6 : 0x20,
        SocketOptionName.DontRoute => Linux ? 5 : 0x10,
        SocketOptionName.OutOfBandInline => Linux ? 10 : 0x100,
        SocketOptionName.ReceiveLowWater => Linux ? 18 : 0x1004,
        SocketOptionName.SendLowWater => Linux ? 19 : 0x1003,
        SocketOptionName.Type => Linux ? 3 : 0x1008,
        SocketOptionName.AcceptConnection => Linux ? 30 : 0x2,
        _ => -1,
    };

    private static int TcpLevel(SocketOptionName name) => name switch
    {
        SocketOptionName.NoDelay => NativeConstants.TCP_NODELAY,
        // TCP_KEEPIDLE / TCP_KEEPINTVL / TCP_KEEPCNT (macOS calls the first TCP_KEEPALIVE).
        SocketOptionName.TcpKeepAliveTime => Linux ? 4 : MacOS ? 0x10 : 0x100,
        SocketOptionName.TcpKeepAliveInterval => Linux ? 5 : MacOS ? 0x101 : 0x200,
        SocketOptionName.TcpKeepAliveRetryCount => Linux ? 6 : MacOS ? 0x102 : 0x400,
        _ => -1,
    };

    private static int IpLevel(SocketOptionName name) => name switch
    {
        SocketOptionName.TypeOfService => Linux ? 1 : 3,
        SocketOptionName.IpTimeToLive => Linux ? 2 : 4,
        SocketOptionName.MulticastTimeToLive => Linux ? 33 : 10,
        SocketOptionName.MulticastLoopback => Linux ? 34 : 11,
        _ => -1,
    };

    private static int IPv6Level(SocketOptionName name) => name switch
    {
        SocketOptionName.IpTimeToLive => Linux ? 16 : 4, // IPV6_UNICAST_HOPS
        SocketOptionName.IPv6Only => Linux ? 26 : 27,
        _ => -1,
    };
}
