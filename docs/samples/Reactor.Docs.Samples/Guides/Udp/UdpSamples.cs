using System.Net;
using System.Text;
using Reactor.Defer;
using Reactor.Net.Udp;
using Reactor.Protocols;
using Reactor.Protocols.Datagram;

namespace Reactor.Docs.Samples.Guides.Udp;

#region echo
/// <summary>Sends every datagram back to where it came from.</summary>
public sealed class Echo : DatagramProtocol
{
    /// <inheritdoc/>
    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) =>
        Transport.Write(data, from); // false (and nothing sent) if the kernel's buffer is full
}
#endregion

#region client
/// <summary>
/// A connected UDP client (Twisted's <c>transport.connect</c> in <c>startProtocol</c>): its port
/// takes datagrams from that peer only, writes need no address, and an ICMP "port unreachable"
/// comes back as <see cref="ConnectionRefused"/>.
/// </summary>
public sealed class Ask(IPEndPoint server, string question, Action<string> answered) : DatagramProtocol
{
    /// <inheritdoc/>
    public override void StartProtocol()
    {
        var udp = (IUdpTransport)Transport;
        udp.Connect(server.Address.ToString(), server.Port); // an IP literal: no name resolution here
        udp.Write(Encoding.UTF8.GetBytes(question));
    }

    /// <inheritdoc/>
    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) =>
        answered(Encoding.UTF8.GetString(data));

    /// <inheritdoc/>
    public override void ConnectionRefused() => answered("refused: nobody listens there");
}
#endregion

#region member
/// <summary>Joins a multicast group when its port starts, and reports what the group hears.</summary>
public sealed class GroupMember(IPAddress group, Action<string> heard) : DatagramProtocol
{
    /// <summary>Fires once the group is joined (or fails with a <c>MulticastJoinError</c>).</summary>
    public Deferred<object?>? Joined { get; private set; }

    /// <inheritdoc/>
    public override void StartProtocol() =>
        Joined = ((IMulticastTransport)Transport).JoinGroup(group, IPAddress.Loopback); // on the loopback interface

    /// <inheritdoc/>
    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from) =>
        heard(Encoding.UTF8.GetString(data));
}
#endregion

/// <summary>The UDP guide's set-up code.</summary>
public static class UdpSamples
{
    /// <summary>An echo port and a client asking it once.</summary>
    public static (IUdpPort Server, IUdpPort Client) EchoOnce(ReactorLoop reactor, Action<string> answered)
    {
        #region listen
        var server = reactor.ListenUdp(0, new Echo(), "127.0.0.1"); // 0: any free port
        var client = reactor.ListenUdp(0, new Ask((IPEndPoint)server.GetHost(), "ping", answered), "127.0.0.1");
        #endregion
        return (server, client);
    }

    /// <summary>A member of <paramref name="group"/> and a sender writing one datagram to the group.</summary>
    public static (GroupMember Member, IUdpPort Sender) Multicast(ReactorLoop reactor, IPAddress group, Action<string> heard)
    {
        #region multicast
        var member = new GroupMember(group, heard);
        var memberPort = reactor.ListenMulticast(0, member, "0.0.0.0");
        var groupAddress = new IPEndPoint(group, ((IPEndPoint)memberPort.GetHost()).Port);

        var sender = reactor.ListenMulticast(0, new Echo(), "127.0.0.1");
        sender.SetOutgoingInterface(IPAddress.Loopback); // send through lo...
        sender.SetLoopbackMode(true);                    // ...and deliver to members on this host
        sender.SetTtl(1);                                // never beyond the local network
        member.Joined!.AddCallback(_ => sender.Write("to everyone"u8, groupAddress));
        #endregion
        return (member, sender);
    }
}
