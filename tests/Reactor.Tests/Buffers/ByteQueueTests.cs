using Reactor.Buffers;

namespace Reactor.Tests.Buffers;

/// <summary>The one byte queue (TLS buffers, the testing kit's fake transports): first in, first out, across growth and compaction.</summary>
public sealed class ByteQueueTests
{
    [Test]
    public void BytesComeOutInOrderAcrossGrowthAndSlidingWhateverTheChunkSizes()
    {
        var queue = new ByteQueue();
        var model = new Queue<byte>();
        var random = new Random(18);
        byte next = 0;
        for (var step = 0; step < 2000; step++)
        {
            if (random.Next(3) != 0)
            {
                var chunk = new byte[random.Next(0, 9000)];
                for (var i = 0; i < chunk.Length; i++) chunk[i] = next++;
                queue.Append(chunk);
                foreach (var b in chunk) model.Enqueue(b);
            }
            else if (random.Next(2) == 0)
            {
                var into = new byte[random.Next(0, 12000)];
                var n = queue.Dequeue(into);
                Assert.That(n, Is.EqualTo(Math.Min(into.Length, model.Count)));
                for (var i = 0; i < n; i++) Assert.That(into[i], Is.EqualTo(model.Dequeue()), $"byte {i} of a dequeue at step {step}");
            }
            else
            {
                var n = random.Next(0, model.Count + 1);
                Assert.That(queue.Span[..n].ToArray(), Is.EqualTo(model.Take(n).ToArray()), $"the head at step {step}");
                queue.Consume(n);
                for (var i = 0; i < n; i++) model.Dequeue();
            }
            Assert.That(queue.Length, Is.EqualTo(model.Count));
            Assert.That(queue.IsEmpty, Is.EqualTo(model.Count == 0));
        }
    }

    [Test]
    public void AnEmptiedQueueHoldsNothingAndStartsAfresh()
    {
        var queue = new ByteQueue();
        queue.Append("abc"u8);
        queue.Consume(3);
        Assert.That(queue.IsEmpty, Is.True);
        Assert.That(queue.Span.IsEmpty, Is.True);
        queue.Append("de"u8);
        Assert.That(queue.Span.ToArray(), Is.EqualTo("de"u8.ToArray()));
        queue.Clear();
        Assert.That((queue.Length, queue.Span.Length), Is.EqualTo((0, 0)));
    }

    [Test]
    public void ConsumingMoreThanIsQueuedIsRefusedAndLosesNothing()
    {
        var queue = new ByteQueue();
        queue.Append("abc"u8);
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Consume(4));
        Assert.Throws<ArgumentOutOfRangeException>(() => queue.Consume(-1));
        Assert.That(queue.Span.ToArray(), Is.EqualTo("abc"u8.ToArray()));
    }
}
