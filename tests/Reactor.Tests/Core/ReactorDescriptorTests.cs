using Reactor.Core;
using Reactor.Errors;
using Reactor.Selectors;

namespace Reactor.Tests.Core;

/// <summary>AddReader / AddWriter and Twisted's IReadDescriptor / IWriteDescriptor contract, on every backend.</summary>
[TestFixtureSource(typeof(LoopTestKit), nameof(LoopTestKit.Backends))]
public class ReactorDescriptorTests(SelectorKind kind)
{
    private ReactorLoop _reactor = null!;
    private CapturingLogger _log = null!;
    private readonly List<int> _fds = new();

    [SetUp]
    public void SetUp()
    {
        _log = new CapturingLogger();
        _reactor = ReactorLoop.Create(new ReactorOptions { Selector = kind, Logger = _log });
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.Dispose();
        LoopTestKit.CloseAll(_fds);
    }

    [Test]
    public void ReaderIsCalledWhenThePeerWritesAndNotAfterRemoval()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var reader = new ScriptedDescriptor(a);
        int received = 0;
        reader.OnRead = () => { received += Math.Max(0, LoopTestKit.Receive(a)); return null; };
        Assert.That(_reactor.SelectorKind, Is.EqualTo(kind));
        _reactor.AddReader(reader);
        _reactor.AddReader(reader); // idempotent
        Assert.That(_reactor.GetReaders(), Is.EqualTo(new[] { reader }));
        LoopTestKit.Send(b, 3);
        LoopTestKit.IterateUntil(_reactor, () => received == 3);

        _reactor.RemoveReader(reader);
        _reactor.RemoveReader(reader); // removing again does nothing
        Assert.That(_reactor.GetReaders(), Is.Empty);
        int reads = reader.Reads;
        LoopTestKit.Send(b, 1);
        _reactor.Iterate(TimeSpan.FromMilliseconds(50));
        Assert.That(reader.Reads, Is.EqualTo(reads));
    }

    [Test]
    public void WriterIsCalledWhileWritableAndReaderAndWriterShareTheDescriptor()
    {
        var (a, _) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        _reactor.AddReader(d);
        _reactor.AddWriter(d);
        Assert.That(_reactor.GetWriters(), Is.EqualTo(new[] { d }));
        LoopTestKit.IterateUntil(_reactor, () => d.Writes >= 2); // level-triggered: again and again
        Assert.That(d.Reads, Is.EqualTo(0));
        _reactor.RemoveWriter(d);
        Assert.That(_reactor.GetWriters(), Is.Empty);
        Assert.That(_reactor.GetReaders(), Is.EqualTo(new[] { d }));
        int writes = d.Writes;
        _reactor.Iterate(TimeSpan.FromMilliseconds(20));
        Assert.That(d.Writes, Is.EqualTo(writes));
    }

    // Twisted: posixbase.py _doReadOrWrite — a returned reason drops the descriptor and is handed to connectionLost.
    [Test]
    public void ReasonReturnedByDoReadDropsBothDirectionsAndCallsConnectionLostOnce()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        var reason = new ConnectionDone();
        d.OnRead = () => reason;
        _reactor.AddReader(d);
        _reactor.AddWriter(d);
        LoopTestKit.Send(b);
        LoopTestKit.IterateUntil(_reactor, () => d.Lost.Count > 0);
        _reactor.Iterate(TimeSpan.FromMilliseconds(20));
        Assert.That(d.Lost, Has.Count.EqualTo(1));
        Assert.That(d.Lost[0].Value, Is.SameAs(reason));
        Assert.That(_reactor.GetReaders(), Is.Empty);
        Assert.That(_reactor.GetWriters(), Is.Empty);
        Assert.That(d.Writes, Is.EqualTo(0), "DoWrite is skipped once DoRead returned a reason");
    }

    [Test]
    public void ReasonReturnedByDoWriteDropsTheDescriptor()
    {
        var (a, _) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        var reason = new ConnectionLost("write side gone");
        d.OnWrite = () => reason;
        _reactor.AddWriter(d);
        LoopTestKit.IterateUntil(_reactor, () => d.Lost.Count > 0);
        Assert.That(d.Lost.Single().Value, Is.SameAs(reason));
        Assert.That(_reactor.GetWriters(), Is.Empty);
    }

    [Test]
    public void ExceptionThrownByDoReadIsLoggedAndBecomesTheReason()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        d.OnRead = () => throw new InvalidDataException("bad bytes");
        _reactor.AddReader(d);
        LoopTestKit.Send(b);
        LoopTestKit.IterateUntil(_reactor, () => d.Lost.Count > 0);
        Assert.That(d.Lost.Single().Value, Is.InstanceOf<InvalidDataException>());
        Assert.That(_log.Errors.Single().Exception, Is.InstanceOf<InvalidDataException>());
        Assert.That(_reactor.GetReaders(), Is.Empty);
    }

    [Test]
    public void PeerCloseIsSeenByDoReadAsEndOfFile()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        d.OnRead = () => LoopTestKit.Receive(a) == 0 ? new ConnectionDone() : null;
        _reactor.AddReader(d);
        LoopTestKit.Close(_fds, b);
        LoopTestKit.IterateUntil(_reactor, () => d.Lost.Count > 0);
        Assert.That(d.Lost.Single().Value, Is.InstanceOf<ConnectionDone>());
    }

    [Test]
    public void RemovingAnotherDescriptorFromInsideDoReadIsSafe()
    {
        var (a1, b1) = LoopTestKit.SocketPair(_fds);
        var (a2, b2) = LoopTestKit.SocketPair(_fds);
        var first = new ScriptedDescriptor(a1);
        var second = new ScriptedDescriptor(a2);
        // Whichever runs first removes the other; the other, already reported in the same batch, must then not run.
        first.OnRead = () => { _reactor.RemoveReader(second); LoopTestKit.Receive(a1); return null; };
        second.OnRead = () => { _reactor.RemoveReader(first); LoopTestKit.Receive(a2); return null; };
        _reactor.AddReader(first);
        _reactor.AddReader(second);
        LoopTestKit.Send(b1);
        LoopTestKit.Send(b2);
        LoopTestKit.IterateUntil(_reactor, () => first.Reads + second.Reads > 0);
        Assert.That(first.Reads + second.Reads, Is.EqualTo(1));
        Assert.That(_reactor.GetReaders(), Has.Count.EqualTo(1));
    }

    [Test]
    public void RemoveReaderFindsADescriptorWhoseFdIsAlreadyClosed()
    {
        var (a, _) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        _reactor.AddReader(d);
        LoopTestKit.Close(_fds, a);
        d.FileDescriptor = -1;
        _reactor.RemoveReader(d);
        Assert.That(_reactor.GetReaders(), Is.Empty);
    }

    [Test]
    public void AddingAClosedDescriptorIsRejected()
    {
        var d = new ScriptedDescriptor(-1);
        Assert.That(() => _reactor.AddReader(d), Throws.ArgumentException.With.Property("ParamName").EqualTo("reader"));
        Assert.That(() => _reactor.AddWriter(d), Throws.ArgumentException.With.Property("ParamName").EqualTo("writer"));
    }

    // Twisted: posixbase.py removeAll — every reader and writer, each once, the waker excluded.
    [Test]
    public void RemoveAllReturnsEachDescriptorOnce()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var both = new ScriptedDescriptor(a);
        var readerOnly = new ScriptedDescriptor(b);
        _reactor.AddReader(both);
        _reactor.AddWriter(both);
        _reactor.AddReader(readerOnly);
        var removed = _reactor.RemoveAll();
        Assert.That(removed, Is.EquivalentTo(new IFileDescriptor[] { both, readerOnly }));
        Assert.That(_reactor.GetReaders(), Is.Empty);
        Assert.That(_reactor.GetWriters(), Is.Empty);
        Assert.That(both.Lost, Is.Empty, "RemoveAll does not disconnect");
        // The descriptors can be added again afterwards.
        _reactor.AddReader(both);
        Assert.That(_reactor.GetReaders(), Is.EqualTo(new[] { both }));
    }

    // Twisted: base.py disconnectAll — during shutdown every descriptor gets connectionLost(ConnectionLost).
    [Test]
    public void ShutdownDisconnectsEveryDescriptor()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var d1 = new ScriptedDescriptor(a);
        var d2 = new ScriptedDescriptor(b);
        _reactor.AddReader(d1);
        _reactor.AddWriter(d2);
        bool sawThemInBefore = false;
        _reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => sawThemInBefore = _reactor.GetReaders().Count == 1);
        _reactor.CallWhenRunning(_reactor.Stop);
        Assert.That(LoopTestKit.RunWithGuard(_reactor), Is.False);
        Assert.That(sawThemInBefore, Is.True);
        Assert.That(d1.Lost.Single().Value, Is.InstanceOf<ConnectionLost>());
        Assert.That(d2.Lost.Single().Value, Is.InstanceOf<ConnectionLost>());
        Assert.That(_reactor.GetReaders(), Is.Empty);
        Assert.That(_reactor.GetWriters(), Is.Empty);
    }

    [Test]
    public void FlushRequestedDuringDispatchRunsBeforeTheNextWait()
    {
        var (a, b) = LoopTestKit.SocketPair(_fds);
        var flushes = new List<string>();
        var target = new RecordingFlush(flushes);
        var d = new ScriptedDescriptor(a);
        d.OnRead = () =>
        {
            LoopTestKit.Receive(a);
            flushes.Add("read");
            _reactor.RequestFlush(target);
            return null;
        };
        _reactor.AddReader(d);
        LoopTestKit.Send(b);
        LoopTestKit.IterateUntil(_reactor, () => flushes.Count >= 2);
        Assert.That(flushes, Is.EqualTo(new[] { "read", "flush" }));

        // A flush requested by a timed call goes out in the same iteration, before the wait.
        flushes.Clear();
        _reactor.CallLater(TimeSpan.Zero, () => _reactor.RequestFlush(target));
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(flushes, Is.EqualTo(new[] { "flush" }));
    }

    [Test]
    public void FlushThatThrowsIsLoggedAndOthersStillFlush()
    {
        var flushes = new List<string>();
        _reactor.CallLater(TimeSpan.Zero, () =>
        {
            _reactor.RequestFlush(new ThrowingFlush());
            _reactor.RequestFlush(new RecordingFlush(flushes));
        });
        _reactor.Iterate(TimeSpan.Zero);
        Assert.That(flushes, Is.EqualTo(new[] { "flush" }));
        Assert.That(_log.Errors, Has.Count.EqualTo(1));
    }

    [Test]
    public void DisposeDisconnectsRemainingDescriptors()
    {
        var (a, _) = LoopTestKit.SocketPair(_fds);
        var d = new ScriptedDescriptor(a);
        _reactor.AddReader(d);
        _reactor.Dispose();
        Assert.That(d.Lost.Single().Value, Is.InstanceOf<ConnectionLost>());
    }

    private sealed class RecordingFlush(List<string> log) : Reactor.Core.Internal.IFlushable
    {
        public void FlushPending() => log.Add("flush");
    }

    private sealed class ThrowingFlush : Reactor.Core.Internal.IFlushable
    {
        public void FlushPending() => throw new IOException("flush failed");
    }
}
