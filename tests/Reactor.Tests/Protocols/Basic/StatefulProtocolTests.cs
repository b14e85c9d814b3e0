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
}
