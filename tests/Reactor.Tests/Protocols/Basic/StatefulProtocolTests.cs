using System.Buffers.Binary;
using Reactor.Protocols.Basic;
using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

// Port of twisted/test/test_stateful.py: an Int32 string receiver written as a StatefulProtocol.
public class StatefulProtocolTests
{
    private sealed class StatefulInt32 : StatefulProtocol
    {
        public readonly List<byte[]> Strings = [];
        private readonly StateHandler _header;
        private readonly StateHandler _body;

        public StatefulInt32()
        {
            _header = Header;
            _body = Body;
        }

        protected override ProtocolState GetInitialState() => new(_header, 4);

        private ProtocolState? Header(ReadOnlySpan<byte> data)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(data);
            if (length == 0)
            {
                Strings.Add([]);
                return null;
            }
            return new ProtocolState(_body, length);
        }

        private ProtocolState? Body(ReadOnlySpan<byte> data)
        {
            Strings.Add(data.ToArray());
            if (data.SequenceEqual("bye"u8)) Transport.LoseConnection();
            return new ProtocolState(_header, 4);
        }
    }

    private static byte[] Frame(byte[] payload)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(prefix, (uint)payload.Length);
        return [.. prefix, .. payload];
    }

    [Test]
    public void EveryChunkingYieldsTheSameStrings()
    {
        byte[][] strings = ["a"u8.ToArray(), "bcd"u8.ToArray(), [], new byte[300]];
        ChunkingProperty.AssertEveryChunking(() => new StatefulInt32(), strings.SelectMany(Frame).ToArray(), p => p.Strings, strings);
        byte[][] shortStrings = ["ab"u8.ToArray(), [], "c"u8.ToArray()];
        ChunkingProperty.AssertEveryChunking(() => new StatefulInt32(), shortStrings.SelectMany(Frame).ToArray(), p => p.Strings, shortStrings);
    }

    [Test]
    public void StopsOnceTheTransportIsDisconnecting()
    {
        var p = new StatefulInt32();
        p.MakeConnection(new StringTransport());
        p.DataReceived([.. Frame("bye"u8.ToArray()), .. Frame("late"u8.ToArray())]);
        Assert.That(p.Strings, Has.Count.EqualTo(1));
    }

    [Test]
    public void StatesNeedAPositiveByteCount()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProtocolState(_ => null, 0));
    }

    /// <summary>Issue 12: a length read from the peer cannot make a StatefulProtocol buffer without bound.</summary>
    [Test]
    public void AStateAboveMaxLengthIsNeverBufferedAndClosesTheConnection()
    {
        var p = new LimitRecordingInt32 { MaxLength = 1000 };
        var transport = new StringTransport();
        p.MakeConnection(transport);
        // A header announcing 2,000,000 bytes, then the start of that body.
        p.DataReceived([.. Frame("ok"u8.ToArray()), 0x00, 0x1E, 0x84, 0x80, .. new byte[500]]);
        for (var i = 0; i < 100; i++) p.DataReceived(new byte[10_000]);

        Assert.Multiple(() =>
        {
            Assert.That(p.Strings.Select(x => x.Length), Is.EqualTo(new[] { 2 }));
            Assert.That(p.Exceeded, Is.EqualTo(new[] { 2_000_000 }), "told once, with the state's byte count");
            Assert.That(transport.Disconnecting, Is.True, "the default closes the connection");
            Assert.That(p.Buffered, Is.Zero, "nothing of the oversized state was kept");
        });
    }

    [Test]
    public void AStateWithinMaxLengthIsDeliveredAndTheDefaultIsLikeIntNStringReceivers()
    {
        Assert.That(new StatefulInt32().MaxLength, Is.EqualTo(99999));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StatefulInt32 { MaxLength = 0 });
        byte[][] strings = [new byte[1000]];
        ChunkingProperty.AssertEveryChunking(() => new StatefulInt32 { MaxLength = 1000 }, strings.SelectMany(Frame).ToArray(), p => p.Strings, strings);
    }

    private sealed class LimitRecordingInt32 : StatefulProtocol
    {
        public readonly List<byte[]> Strings = [];
        public readonly List<int> Exceeded = [];
        private readonly StateHandler _header;
        private readonly StateHandler _body;

        public LimitRecordingInt32()
        {
            _header = data => new ProtocolState(_body!, (int)BinaryPrimitives.ReadUInt32BigEndian(data));
            _body = data =>
            {
                Strings.Add(data.ToArray());
                return new ProtocolState(_header, 4);
            };
        }

        public int Buffered => BufferedBytes;

        protected override ProtocolState GetInitialState() => new(_header, 4);

        public override void LengthLimitExceeded(int byteCount)
        {
            Exceeded.Add(byteCount);
            base.LengthLimitExceeded(byteCount);
        }
    }
}
