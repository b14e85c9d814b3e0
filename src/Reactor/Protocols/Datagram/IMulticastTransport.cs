using System.Net;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Protocols.Datagram;

/// <summary>A UDP socket that takes part in IP multicast (Twisted's <c>IMulticastTransport</c>), IPv4 and IPv6.</summary>
public interface IMulticastTransport : IUdpTransport
{
    /// <summary>
    /// Joins <paramref name="group"/> on the interface with address <paramref name="interfaceAddress"/>
    /// (null: the kernel's choice; for IPv6, an interface index is taken from <paramref name="interfaceIndex"/>).
    /// The result fires with null, or fails with <see cref="MulticastJoinError"/>.
    /// </summary>
    /// <remarks>A <paramref name="group"/> that is not a multicast address of the port's family also fails the Deferred (as Twisted).</remarks>
    Deferred<object?> JoinGroup(IPAddress group, IPAddress? interfaceAddress = null, int interfaceIndex = 0);

    /// <summary>Leaves a group joined with <see cref="JoinGroup"/>; same arguments and result.</summary>
    Deferred<object?> LeaveGroup(IPAddress group, IPAddress? interfaceAddress = null, int interfaceIndex = 0);

    /// <summary>Sets the time-to-live (IPv4) or hop limit (IPv6) of outgoing multicast datagrams (0-255; default 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ttl"/> is outside 0-255.</exception>
    void SetTtl(int ttl);

    /// <summary>The time-to-live (hop limit) of outgoing multicast datagrams.</summary>
    int GetTtl();

    /// <summary>Whether this host's own members of a group receive what this port sends to it (default true).</summary>
    void SetLoopbackMode(bool enabled);

    /// <summary>Whether multicast loopback is on.</summary>
    bool GetLoopbackMode();

    /// <summary>
    /// Chooses the interface outgoing multicast leaves by: its IPv4 address, or for an IPv6 port
    /// the interface index in <paramref name="interfaceIndex"/> (<paramref name="interfaceAddress"/> is then ignored).
    /// </summary>
    void SetOutgoingInterface(IPAddress? interfaceAddress, int interfaceIndex = 0);

    /// <summary>The IPv4 address of the interface outgoing multicast leaves by (0.0.0.0: the kernel's choice).</summary>
    /// <exception cref="InvalidOperationException">The port is IPv6 (use <see cref="GetOutgoingInterfaceIndex"/>).</exception>
    IPAddress GetOutgoingInterface();

    /// <summary>The index of the interface outgoing IPv6 multicast leaves by (0: the kernel's choice; always 0 on an IPv4 port).</summary>
    int GetOutgoingInterfaceIndex();
}
