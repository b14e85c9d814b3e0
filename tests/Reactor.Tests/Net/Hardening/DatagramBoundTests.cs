using System.Runtime.Versioning;
using Reactor.Core;
using Reactor.Protocols;
using Reactor.Protocols.Datagram;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Hardening;

/// <summary>
/// Issue 12, scope 1, datagrams: a datagram port keeps no output queue, so a peer that never reads
/// cannot make it buffer. A write the kernel cannot take is refused (Write returns false) and
/// counted in DroppedWrites, never held. Reads use one buffer per port, MaxPacketSize long.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[UnsupportedOSPlatform("windows")]
public sealed class DatagramBoundTests(SelectorKind kind)
{
    [Test]
    public void WritesToAUnixDatagramPeerThatNeverReadsAreRefusedNotQueued()
    {
        using var reactor = CreateReactor(out _, kind);
        var dir = TempDirectory();
        try
        {
            var path = Path.Combine(dir, "sink.sock");
            var sink = new NeverReads();
            reactor.ListenUnixDatagram(path, sink); // the loop never runs here, so the receiver takes nothing: its queue fills
            var sender = new Sender();
            var port = reactor.ConnectUnixDatagram(path, sender);

            var datagram = new byte[1024];
            var accepted = 0;
            var refused = 0;
            for (var i = 0; i < 100_000 && refused == 0; i++)
            {
                if (port.Write(datagram)) accepted++;
                else refused++;
            }
            Assert.That(refused, Is.EqualTo(1), "once the peer's queue is full a write is refused at once");
            Assert.That(port.DroppedWrites, Is.EqualTo(1), "and counted");
            Assert.That(accepted, Is.LessThan(100_000), "the kernel took only what fits its queue; nothing is queued in the process");
            Assert.That(port.Write(datagram), Is.False, "still refused: nothing was buffered to retry");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private sealed class NeverReads : DatagramProtocol
    {
    }

    private sealed class Sender : ConnectedDatagramProtocol
    {
    }
}
