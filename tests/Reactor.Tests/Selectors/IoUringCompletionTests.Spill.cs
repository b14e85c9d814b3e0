using System.Text;
using Reactor.Selectors;
using Reactor.Selectors.IoUring;

namespace Reactor.Tests.Selectors;

/// <summary>
/// Paused descriptors cannot keep the shared buffer ring: a connection whose peer never reads what it
/// is sent stays paused for good, and enough of them would hold every buffer. When the ring runs short,
/// what paused descriptors hold is copied out and their buffers go back; the others keep receiving, and
/// the paused ones get every byte, in order, once they resume.
/// </summary>
public sealed partial class IoUringCompletionTests
{
    [Test]
    public void PausedDescriptorsGiveTheirBuffersBackWhenTheRingRunsShort()
    {
        // 8 buffers of 16 bytes; a receive ends after 32 bytes, so a socket holds 2 or 3 buffers: four take them all.
        _selector.UseCompletionBuffers(count: 8, size: 16, receiveLimit: 32);
        var paused = Enumerable.Range(0, 4).Select(_ => _pairs.Create()).ToList();
        var sent = new Dictionary<int, string>();
        for (int i = 0; i < paused.Count; i++)
        {
            var (local, peer) = paused[i];
            Assert.That(Streams.TryClaimReceive(local), Is.True);
            _selector.Register(local, Interest.Read, i);
            sent[local] = string.Concat(Enumerable.Range(0, 12).Select(n => $"[{i}:{n:D2}]"));
            Send(peer, sent[local]);
        }
        WaitUntil(() => Streams.Buffers!.Available == 0, "the four sockets hold the whole ring");
        foreach (var (local, _) in paused) _selector.Unregister(local); // paused: nobody takes what they hold

        // Another connection needs buffers: the next enter spills the paused ones' bytes.
        (int active, int activePeer) = _pairs.Create();
        Streams.TryClaimReceive(active);
        _selector.Register(active, Interest.Read, 99);
        Send(activePeer, "still served");
        WaitUntil(() => Streams.HeldCount(active) > 0, "the active socket receives");
        Assert.That(Streams.TakeReceived(active, out var data, out _), Is.EqualTo(CompletionStreams.Received.Data));
        Assert.That(Encoding.ASCII.GetString(data), Is.EqualTo("still served"));
        Streams.ReturnReceived(active);
        Assert.That(Streams.Spills, Is.GreaterThanOrEqualTo(1), "paused holdings were copied out");
        Assert.That(paused.Sum(p => Streams.HeldBytes(p.Local)), Is.GreaterThan(0), "and are still held, outside the ring");

        // Resumed, each paused socket gets every byte, in order.
        for (int i = 0; i < paused.Count; i++)
        {
            var (local, peer) = paused[i];
            _selector.Register(local, Interest.Read, i);
            _pairs.Close(peer);
            var (text, end, _) = ReceiveUntilEnd(local);
            Assert.That(text, Is.EqualTo(sent[local]), $"socket {i}: every byte, in order");
            Assert.That(end, Is.True);
        }
        Assert.That(Streams.Buffers!.Available, Is.EqualTo(Streams.Buffers.Count), "every buffer back");
    }
}
