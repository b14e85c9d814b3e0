using Reactor.Protocols;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// Sends <see cref="Total"/> bytes of a known pattern through its transport as a push producer,
/// writing <see cref="ChunkSize"/> bytes at a time until paused; closes when done.
/// </summary>
internal sealed class BulkSender : TlsRecorder, IPushProducer
{
    private long _sent;
    private bool _paused;
    private readonly byte[] _chunk;

    public BulkSender(long total, int chunkSize = 64 * 1024)
    {
        Total = total;
        ChunkSize = chunkSize;
        _chunk = new byte[chunkSize];
    }

    public long Total { get; }
    public int ChunkSize { get; }
    public long Sent => _sent;
    public int Pauses { get; private set; }
    public bool Stopped { get; private set; }

    /// <summary>The byte at <paramref name="offset"/> of the stream.</summary>
    public static byte Pattern(long offset) => (byte)(offset * 31 + (offset >> 16));

    public override void ConnectionMade()
    {
        base.ConnectionMade();
        // Registered before the handshake: the first write is held and pauses it.
        Transport.RegisterProducer(this, streaming: true);
        Produce();
    }

    public void PauseProducing()
    {
        Pauses++;
        _paused = true;
    }

    public void ResumeProducing()
    {
        _paused = false;
        Produce();
    }

    public void StopProducing() => Stopped = true;

    private void Produce()
    {
        while (!_paused && _sent < Total && !Stopped)
        {
            var n = (int)Math.Min(ChunkSize, Total - _sent);
            for (var i = 0; i < n; i++) _chunk[i] = Pattern(_sent + i);
            _sent += n;
            Transport.Write(_chunk.AsSpan(0, n));
        }
        if (_sent == Total && !Stopped)
        {
            Stopped = true;
            Transport.UnregisterProducer();
            Transport.LoseConnection();
        }
    }
}

/// <summary>
/// Receives a <see cref="BulkSender"/>'s stream and checks every byte; as a slow reader it
/// pauses its transport after each delivery and resumes <see cref="ResumeAfter"/> later.
/// </summary>
internal sealed class SlowReader : TlsRecorder
{
    private readonly Reactor.Time.IReactorTime _clock;

    public SlowReader(Reactor.Time.IReactorTime clock) => _clock = clock;

    public TimeSpan ResumeAfter { get; init; } = TimeSpan.FromMilliseconds(1);
    public long Count { get; private set; }
    public long FirstMismatch { get; private set; } = -1;
    public int Deliveries { get; private set; }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (FirstMismatch < 0 && data[i] != BulkSender.Pattern(Count + i)) FirstMismatch = Count + i;
        }
        Count += data.Length;
        Deliveries++;
        Transport.PauseProducing();
        _clock.CallLater(ResumeAfter, Transport.ResumeProducing);
    }
}
