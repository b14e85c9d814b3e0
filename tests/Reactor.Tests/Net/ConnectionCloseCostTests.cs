using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;
using Reactor.Time;

namespace Reactor.Tests.Net;

/// <summary>
/// What closing a connection costs the kernel (issue 17, churn): a connection the peer reset is
/// closed with close(2) alone — no shutdown(2) on a dead connection, no selector call the close
/// makes redundant — and its Failure carries no stack walked from the reactor's dispatch.
/// A clean close still shuts down first (a FIN even when the descriptor is shared).
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public sealed class ConnectionCloseCostTests(SelectorKind kind)
{
    [Test]
    public void APeerResetIsClosedWithoutShutdownOrUnregister()
    {
        using var rig = new Rig(kind);
        var server = rig.Accept(client => ((IStreamTransport)client.Transport).AbortConnection());
        rig.Reactor.RunUntil(() => server.Protocol.IsLost, "the server hears the reset");

        Assert.That(server.Protocol.LostReason!.Value, Is.TypeOf<ConnectionLost>());
        Assert.That(server.Protocol.LostReason.Value.InnerException, Is.InstanceOf<SocketException>());
        Assert.That(server.Protocol.LostReason.CreationStack, Is.Null, "no stack walk for a reason the reactor found");
        Assert.That(rig.Syscalls.Shutdowns, Does.Not.Contain(server.Fd), "shutdown(2) on a reset connection");
        Assert.That(rig.Syscalls.Closes, Does.Contain(server.Fd));
        Assert.That(rig.Selector.Unregistered, Does.Not.Contain(server.Fd), "the close itself drops the registration");
        Assert.That(rig.Selector.UnregisteredBeforeClose, Does.Contain(server.Fd));
    }

    [Test]
    public void ACleanCloseStillShutsDownFirst()
    {
        using var rig = new Rig(kind);
        var server = rig.Accept(_ => { });
        rig.Reactor.RunUntil(() => server.Fd >= 0, "the server's connection");
        server.Protocol.Transport.Write("bye"u8);
        server.Protocol.Transport.LoseConnection();
        rig.Reactor.RunUntil(() => server.Protocol.IsLost && rig.Client.IsLost, "both ends closed");

        Assert.That(server.Protocol.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(rig.Client.LostReason!.Value, Is.TypeOf<ConnectionDone>());
        Assert.That(rig.Client.Received.ToArray(), Is.EqualTo("hibye"u8.ToArray()));
        Assert.That(rig.Syscalls.Shutdowns, Does.Contain(server.Fd));
        Assert.That(rig.Selector.Unregistered, Does.Not.Contain(server.Fd));
    }

    private sealed class ServerSide
    {
        public RecordingProtocol Protocol = new();
        public int Fd = -1;
    }

    /// <summary>A reactor whose selector and (server-side) syscalls are recorded, a port, one client.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly TcpPort _port;

        public Rig(SelectorKind kind)
        {
            CountingSelector? selector = null;
            Reactor = ReactorLoop.Create(new ReactorOptions
            {
                Logger = new CapturingLogger(),
                SelectorFactory = () => selector = new CountingSelector(SelectorFactory.Create(kind)),
            });
            Selector = selector!;
            var host = new SeamHost((ITransportHost)Reactor, Syscalls);
            _port = TcpPort.Listen(host, Factory.ForProtocol(() => Server.Protocol), new IPEndPoint(IPAddress.Loopback, 0), 16);
            Server.Protocol.OnConnectionMade = p =>
            {
                Server.Fd = ((StreamTransport)p.Transport).FileDescriptor;
                p.Transport.Write("hi"u8);
            };
        }

        public ReactorLoop Reactor { get; }

        public CountingSelector Selector { get; }

        public RecordingSyscalls Syscalls { get; } = new(LibcSyscalls.Instance);

        public ServerSide Server { get; } = new();

        public RecordingProtocol Client { get; } = new();

        /// <summary>Connects the client; <paramref name="onGreeting"/> runs when the server's "hi" arrives.</summary>
        public ServerSide Accept(Action<RecordingProtocol> onGreeting)
        {
            Client.OnData = (p, _) => onGreeting(p);
            Reactor.ConnectTcp("127.0.0.1", ((IPEndPoint)_port.GetHost()).Port, new RecordingClientFactory(() => Client));
            return Server;
        }

        public void Dispose()
        {
            _port.StopListening();
            Reactor.Dispose();
        }
    }

    private sealed unsafe class RecordingSyscalls(ISyscalls inner) : ForwardingSyscalls(inner)
    {
        public List<int> Shutdowns { get; } = new();

        public List<int> Closes { get; } = new();

        public override int Shutdown(int fd, SocketShutdown how, out Errno errno)
        {
            Shutdowns.Add(fd);
            return Inner.Shutdown(fd, how, out errno);
        }

        public override int Close(int fd, out Errno errno)
        {
            Closes.Add(fd);
            return Inner.Close(fd, out errno);
        }
    }
}
