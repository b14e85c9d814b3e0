using System.Buffers.Binary;
using System.Text;
using BenchmarkDotNet.Attributes;
using Reactor.Protocols.Basic;
using Reactor.Testing;

namespace Reactor.Benchmarks.Protocols;

/// <summary>
/// Parse throughput of the framing receivers over in-memory input: each operation feeds
/// <see cref="BytesPerOperation"/> bytes of frames in 16 KiB reads that cut frames at arbitrary
/// points (so partial frames are buffered at every read boundary). MB/s = BytesPerOperation /
/// Mean; steady state must allocate 0 bytes per operation.
/// </summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    /// <summary>Bytes fed per operation: 1 MiB.</summary>
    public const int BytesPerOperation = 1 << 20;

    private const int ReadSize = 16 * 1024;

    private byte[] _lines = [];
    private byte[] _int32 = [];
    private byte[] _netstrings = [];
    private CountingLines _lineReceiver = null!;
    private CountingInt32 _int32Receiver = null!;
    private CountingNetstrings _netstringReceiver = null!;

    /// <summary>Payload bytes per frame.</summary>
    [Params(8, 100)]
    public int PayloadSize { get; set; }

    /// <summary>Builds 1 MiB of each framing and connects the receivers to a StringTransport.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var payload = Encoding.ASCII.GetBytes(new string('p', PayloadSize));
        _lines = Fill(frame: [.. payload, (byte)'\r', (byte)'\n']);
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, PayloadSize);
        _int32 = Fill([.. prefix, .. payload]);
        _netstrings = Fill([.. Encoding.ASCII.GetBytes($"{PayloadSize}:"), .. payload, (byte)',']);
        _lineReceiver = new CountingLines();
        _lineReceiver.MakeConnection(new StringTransport());
        _int32Receiver = new CountingInt32();
        _int32Receiver.MakeConnection(new StringTransport());
        _netstringReceiver = new CountingNetstrings();
        _netstringReceiver.MakeConnection(new StringTransport());
    }

    /// <summary>LineReceiver (CRLF lines).</summary>
    [Benchmark(Description = "LineReceiver 1 MiB")]
    public long LineReceiver()
    {
        Feed(_lineReceiver, _lines);
        return _lineReceiver.Bytes;
    }

    /// <summary>Int32StringReceiver.</summary>
    [Benchmark(Description = "Int32StringReceiver 1 MiB")]
    public long Int32StringReceiver()
    {
        Feed(_int32Receiver, _int32);
        return _int32Receiver.Bytes;
    }

    /// <summary>NetstringReceiver.</summary>
    [Benchmark(Description = "NetstringReceiver 1 MiB")]
    public long NetstringReceiver()
    {
        Feed(_netstringReceiver, _netstrings);
        return _netstringReceiver.Bytes;
    }

    private static void Feed(Reactor.Protocols.IProtocol receiver, byte[] stream)
    {
        for (var at = 0; at < stream.Length; at += ReadSize)
        {
            receiver.DataReceived(stream.AsSpan(at, Math.Min(ReadSize, stream.Length - at)));
        }
    }

    // Whole frames up to 1 MiB: the stream ends on a frame boundary, so every operation starts clean.
    private static byte[] Fill(byte[] frame)
    {
        var count = BytesPerOperation / frame.Length;
        var stream = new byte[count * frame.Length];
        for (var i = 0; i < count; i++) frame.CopyTo(stream, i * frame.Length);
        return stream;
    }

    private sealed class CountingLines : LineReceiver
    {
        public long Bytes;
        public override void LineReceived(ReadOnlySpan<byte> line) => Bytes += line.Length;
    }

    private sealed class CountingInt32 : Int32StringReceiver
    {
        public long Bytes;
        public override void StringReceived(ReadOnlySpan<byte> data) => Bytes += data.Length;
    }

    private sealed class CountingNetstrings : NetstringReceiver
    {
        public long Bytes;
        public override void StringReceived(ReadOnlySpan<byte> data) => Bytes += data.Length;
    }
}
