using System.Net;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Tests.Testing;

namespace Reactor.Tests.Protocols.Policies;

internal static class PolicyTestSupport
{
    public static readonly IPEndPoint Peer = new(IPAddress.Loopback, 4321);

    /// <summary>Builds a protocol with <paramref name="factory"/> and connects it to a fresh transport.</summary>
    public static (IProtocol Protocol, StringTransportWithDisconnection Transport) Connect(IProtocolFactory factory)
    {
        var protocol = factory.BuildProtocol(Peer) ?? throw new AssertionException("the factory refused the connection");
        var transport = new StringTransportWithDisconnection { Protocol = protocol };
        protocol.MakeConnection(transport);
        return (protocol, transport);
    }

    /// <summary>A factory that records the protocols it builds.</summary>
    public sealed class RecordingFactory : ClientFactory
    {
        public readonly List<RecordingProtocol> Built = [];
        public int Starts;
        public int Stops;

        public override IProtocol? BuildProtocol(EndPoint address)
        {
            var p = new RecordingProtocol { Factory = this };
            Built.Add(p);
            return p;
        }

        public override void StartFactory() => Starts++;
        public override void StopFactory() => Stops++;
    }
}
