using Reactor.Testing;

namespace Reactor.Tests.Protocols.Basic;

public class FixedLengthReceiverTests
{
    [TestCase(1)]
    [TestCase(3)]
    [TestCase(300)]
    public void EveryChunkingYieldsTheSameFrames(int length)
    {
        var frames = Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + k)).ToArray()).ToArray();
        var stream = frames.SelectMany(f => f).Concat(new byte[] { 9 }).ToArray();
        if (length == 1) frames = [.. frames, [9]];
        ChunkingProperty.AssertEveryChunking(() => new RecordingFixed(length), stream, r => r.Strings, frames);
    }

    [Test]
    public void BufferNeverExceedsTheFrameLength()
    {
        var r = new RecordingFixed(1000);
        r.MakeConnection(new StringTransport());
        var stream = new byte[10_000];
        for (var i = 0; i < stream.Length; i += 7) r.DataReceived(stream.AsSpan(i, Math.Min(7, stream.Length - i)));
        Assert.That(r.Strings, Has.Count.EqualTo(10));
        Assert.That(r.BufferCapacity, Is.LessThanOrEqualTo(1000));
    }

    [Test]
    public void SendFrameChecksTheLength()
    {
        var t = new StringTransport();
        var r = new RecordingFixed(2);
        r.MakeConnection(t);
        r.SendFrame([1, 2]);
        Assert.That(t.Value(), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.Throws<ArgumentException>(() => r.SendFrame([1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordingFixed(0));
    }

    [Test]
    public void PauseHoldsFramesBack()
    {
        var t = new StringTransport();
        var r = new RecordingFixed(2);
        r.MakeConnection(t);
        r.PauseProducing();
        r.DataReceived([1, 2, 3, 4, 5]);
        Assert.That(r.Strings, Is.Empty);
        r.ResumeProducing();
        Assert.That(r.Strings, Has.Count.EqualTo(2));
        r.DataReceived([6]);
        Assert.That(r.Strings[^1], Is.EqualTo(new byte[] { 5, 6 }));
    }
}
