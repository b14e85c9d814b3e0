using System.Net.Sockets;
using System.Net;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Net.Udp;

// IP multicast (Twisted's MulticastMixin), for IPv4 and IPv6. The options go through the
// socket's own setters: they run once per call, never per datagram, and the BCL already knows
// each OS's option numbers and ip_mreq / ipv6_mreq layouts.
internal sealed partial class UdpPort
{
    /// <inheritdoc/>
    public Deferred<object?> JoinGroup(IPAddress group, IPAddress? interfaceAddress = null, int interfaceIndex = 0) =>
        ChangeMembership(group, interfaceAddress, interfaceIndex, join: true);

    /// <inheritdoc/>
    public Deferred<object?> LeaveGroup(IPAddress group, IPAddress? interfaceAddress = null, int interfaceIndex = 0) =>
        ChangeMembership(group, interfaceAddress, interfaceIndex, join: false);

    /// <inheritdoc/>
    public void SetTtl(int ttl)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ttl);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ttl, 255);
        ThrowIfClosed();
        Socket.SetSocketOption(Level, SocketOptionName.MulticastTimeToLive, ttl);
    }

    /// <inheritdoc/>
    public int GetTtl()
    {
        ThrowIfClosed();
        return (int)Socket.GetSocketOption(Level, SocketOptionName.MulticastTimeToLive)!;
    }

    /// <inheritdoc/>
    public void SetLoopbackMode(bool enabled)
    {
        ThrowIfClosed();
        Socket.SetSocketOption(Level, SocketOptionName.MulticastLoopback, enabled);
    }

    /// <inheritdoc/>
    public bool GetLoopbackMode()
    {
        ThrowIfClosed();
        return (int)Socket.GetSocketOption(Level, SocketOptionName.MulticastLoopback)! != 0;
    }

    /// <inheritdoc/>
    public void SetOutgoingInterface(IPAddress? interfaceAddress, int interfaceIndex = 0)
    {
        ThrowIfClosed();
        if (AddressFamily == AddressFamily.InterNetworkV6)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(interfaceIndex);
            Socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, interfaceIndex);
            return;
        }
        var address = interfaceAddress ?? IPAddress.Any;
        if (address.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException($"{address} is not an IPv4 interface address.", nameof(interfaceAddress));
        // IP_MULTICAST_IF takes the address in network order; the BCL wants it as that int.
        Socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
    }

    /// <inheritdoc/>
    public IPAddress GetOutgoingInterface()
    {
        ThrowIfClosed();
        if (AddressFamily == AddressFamily.InterNetworkV6)
        {
            throw new InvalidOperationException("An IPv6 port's outgoing multicast interface is an index: use GetOutgoingInterfaceIndex.");
        }
        // IP_MULTICAST_IF reads back as the address in network order.
        var raw = (int)Socket.GetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface)!;
        return new IPAddress(BitConverter.GetBytes(raw));
    }

    /// <inheritdoc/>
    public int GetOutgoingInterfaceIndex()
    {
        ThrowIfClosed();
        if (AddressFamily != AddressFamily.InterNetworkV6) return 0;
        return (int)Socket.GetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface)!;
    }

    private SocketOptionLevel Level => AddressFamily == AddressFamily.InterNetworkV6 ? SocketOptionLevel.IPv6 : SocketOptionLevel.IP;

    private Deferred<object?> ChangeMembership(IPAddress group, IPAddress? interfaceAddress, int interfaceIndex, bool join)
    {
        ArgumentNullException.ThrowIfNull(group);
        ThrowIfClosed();
        var v6 = AddressFamily == AddressFamily.InterNetworkV6;
        if (group.AddressFamily != AddressFamily || (v6 ? !group.IsIPv6Multicast : !IsIPv4Multicast(group)))
        {
            // Through the Deferred, as Twisted (test_udp.py MulticastTests.test_joinFailure).
            return Deferred.Fail<object?>(new MulticastJoinError(group, interfaceAddress, new ArgumentException(
                $"{group} is not an {(v6 ? "IPv6" : "IPv4")} multicast address, as {Description} needs.", nameof(group))));
        }
        var name = join ? SocketOptionName.AddMembership : SocketOptionName.DropMembership;
        try
        {
            if (v6)
            {
                Socket.SetSocketOption(SocketOptionLevel.IPv6, name, new IPv6MulticastOption(group, interfaceIndex));
            }
            else
            {
                Socket.SetSocketOption(SocketOptionLevel.IP, name, new MulticastOption(group, interfaceAddress ?? IPAddress.Any));
            }
        }
        catch (SocketException ex)
        {
            return Deferred.Fail<object?>(new MulticastJoinError(group, interfaceAddress, ex));
        }
        return Deferred.Succeed<object?>(null);
    }

    private static bool IsIPv4Multicast(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return bytes[0] is >= 224 and <= 239;
    }
}
