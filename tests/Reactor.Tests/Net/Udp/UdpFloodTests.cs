using System.Buffers.Binary;
using System.Net;
using Reactor.Core;
using Reactor.Net;
using Reactor.Protocols;
using static Reactor.Tests.Net.Udp.DatagramTestKit;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Udp;

/// <summary>
/// 10,000 datagrams sent at full speed from one reactor thread to another: every datagram that
/// arrives must be intact (sequence number, length and every payload byte checked); loss is
/// allowed (UDP), counted and reported, never corruption or duplication.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
public class UdpFloodTests(SelectorKind kind)
{
    private const int Count = 10_000;
    private const uint EndMarker = uint.MaxValue;

    [Test]
    public void TenThousandDatagramsArriveIntactOrNotAtAll()
    {
        using var receiverReactor = CreateReactor(out _, kind);
        var receiver = new CheckingReceiver();
        var receiverPort = receiverReactor.ListenUdp(0, receiver, "127.0.0.1", maxPacketSize: 2048);
        var destination = (IPEndPoint)receiverPort.GetHost();

        using var senderReactor = CreateReactor(out _, kind);
        var sender = new FloodSender(senderReactor, destination);
        senderReactor.ListenUdp(0, sender, "127.0.0.1");
        var senderThread = new Thread(() => senderReactor.Run()) { IsBackground = true, Name = "udp-flood-sender" };
        senderThread.Start();
        try
        {
            IterateUntil(receiverReactor, () => receiver.EndSeen, "the end marker after the flood");
        }
        finally
        {
            senderReactor.CallFromThread(senderReactor.Stop);
            Assert.That(senderThread.Join(Deadline), Is.True, "the sender reactor stopped");
        }

        var lost = sender.Accepted - receiver.Intact;
        TestContext.Out.WriteLine($"sent {Count}: {sender.Accepted} accepted by the kernel, {sender.RefusedBySender} dropped at the sender (send buffer full), " +
            $"{receiver.Intact} received intact, {lost} lost in flight ({100.0 * lost / Count:F2} %), {receiver.Corrupt} corrupt, {receiver.Duplicates} duplicated");
        Assert.Multiple(() =>
        {
            Assert.That(receiver.Corrupt, Is.Zero, "no datagram arrives damaged");
            Assert.That(receiver.Duplicates, Is.Zero, "no datagram arrives twice");
            Assert.That(receiver.Intact, Is.GreaterThan(0));
            Assert.That(receiver.Intact, Is.LessThanOrEqualTo(sender.Accepted));
            Assert.That(sender.Accepted + sender.RefusedBySender, Is.EqualTo(Count));
        });
    }

    /// <summary>The datagram for <paramref name="sequence"/>: [seq u32][length u16][payload], payload derived from seq.</summary>
    private static int Build(uint sequence, Span<byte> buffer)
    {
        var length = 16 + (int)(sequence * 7919 % 1200);
        BinaryPrimitives.WriteUInt32BigEndian(buffer, sequence);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], (ushort)length);
        var payload = buffer.Slice(6, length);
        for (var i = 0; i < length; i++) payload[i] = (byte)(sequence * 31 + (uint)i * 17);
        return 6 + length;
    }

    private sealed class FloodSender(ReactorLoop reactor, IPEndPoint destination) : DatagramProtocol
    {
        public int Accepted;
        public int RefusedBySender;

        // Starts once the sender's reactor runs (on its own thread).
        public override void StartProtocol() => reactor.CallLater(TimeSpan.Zero, Flood);

        private void Flood()
        {
            Span<byte> buffer = stackalloc byte[2048];
            for (uint seq = 0; seq < Count; seq++)
            {
                var length = Build(seq, buffer);
                if (Transport.Write(buffer[..length], destination)) Accepted++;
                else RefusedBySender++;
            }
            SendEnd();
        }

        private void SendEnd()
        {
            // Repeated until the test stops this reactor: the marker itself may be lost.
            Span<byte> marker = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(marker, EndMarker);
            if (TransportOrNull is null) return;
            Transport.Write(marker, destination);
            reactor.CallLater(TimeSpan.FromMilliseconds(50), SendEnd);
        }
    }

    private sealed class CheckingReceiver : DatagramProtocol
    {
        private readonly bool[] _seen = new bool[Count];
        public int Intact;
        public int Corrupt;
        public int Duplicates;
        public bool EndSeen;

        public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
        {
            if (data.Length == 4 && BinaryPrimitives.ReadUInt32BigEndian(data) == EndMarker)
            {
                EndSeen = true;
                return;
            }
            if (data.Length < 6)
            {
                Corrupt++;
                return;
            }
            var sequence = BinaryPrimitives.ReadUInt32BigEndian(data);
            Span<byte> expected = stackalloc byte[2048];
            if (sequence >= Count || !data.SequenceEqual(expected[..Build(sequence, expected)]))
            {
                Corrupt++;
                return;
            }
            if (_seen[sequence]) Duplicates++;
            else
            {
                _seen[sequence] = true;
                Intact++;
            }
        }
    }
}
