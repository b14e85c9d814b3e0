using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Net.Processes;
using Reactor.Protocols;
using Reactor.Tests.Core;
using Reactor.Selectors;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Processes;

/// <summary>
/// Issue 15's "done when" lines against real programs: a 64 MiB cat round trip with bounded memory
/// on both sides, 200 concurrent children, no zombie after 1,000 spawns, and a child's descriptor
/// list that shows only what the map gave it; each also on the SIGCHLD fallback where it applies.
/// </summary>
[TestFixtureSource(typeof(Backends), nameof(Backends.Available))]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessDoneWhenTests(SelectorKind kind) : ProcessFixture(kind)
{
    /// <summary>Writes <see cref="Total"/> patterned bytes in 64 KiB chunks while not paused.</summary>
    private sealed class PatternProducer(IProcessTransport transport, long total) : IPushProducer
    {
        private const int Chunk = 64 * 1024;
        private readonly byte[] _chunk = new byte[Chunk];
        private long _sent;
        private bool _paused;

        public long Total => total;
        public long MaxPending { get; private set; }
        public int Pauses { get; private set; }

        public void PauseProducing()
        {
            _paused = true;
            Pauses++;
        }

        public void ResumeProducing()
        {
            _paused = false;
            while (!_paused && _sent < total)
            {
                var n = (int)Math.Min(Chunk, total - _sent);
                for (var i = 0; i < n; i++) _chunk[i] = NetTesting.PatternAt(_sent + i);
                _sent += n;
                transport.Write(_chunk.AsSpan(0, n));
                MaxPending = Math.Max(MaxPending, transport.PendingBytes);
            }
            if (_sent == total && !_paused)
            {
                transport.UnregisterProducer();
                transport.CloseStdin();
            }
        }

        public void StopProducing() => _paused = true;
    }

    /// <summary>Checks each byte against the pattern without keeping any of them.</summary>
    private sealed class PatternChecker : RecordingProcessProtocol
    {
        public long Count;
        public long Mismatches;
        public long ChildPeakKiB;

        public override void OutReceived(ReadOnlySpan<byte> data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                if (data[i] != NetTesting.PatternAt(Count + i)) Mismatches++;
            }
            Count += data.Length;
            // The child's peak resident memory, read while it runs (after it exits /proc forgets).
            if (Transport.Pid is int pid && (Count & ((8 << 20) - 1)) < data.Length) ChildPeakKiB = Math.Max(ChildPeakKiB, PeakKiB(pid));
        }

        private static long PeakKiB(int pid)
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
                return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public void CatRoundTripOf64MiBKeepsMemoryBoundedOnBothSides(bool sigChldFallback)
    {
        if (sigChldFallback) Loop.ProcessExitNotification = ProcessExitNotification.SigChld;
        const long total = 64L << 20;
        var protocol = new PatternChecker();
        var transport = Loop.SpawnProcess(protocol, "cat");
        var producer = new PatternProducer(transport, total);
        transport.RegisterProducer(producer, streaming: true);
        producer.ResumeProducing();
        Loop.RunUntil(() => protocol.IsEnded, "64 MiB through cat and back", TimeSpan.FromSeconds(120));

        Assert.Multiple(() =>
        {
            Assert.That(protocol.Count, Is.EqualTo(total), "every byte came back");
            Assert.That(protocol.Mismatches, Is.Zero, "in order, unchanged");
            Assert.That(protocol.ExitedReason!.Value, Is.TypeOf<ProcessDone>());
            // Our side: the producer was paused at the high-water mark, so at most one chunk past it was ever pending.
            Assert.That(producer.Pauses, Is.Positive, "the pipe filled and the producer was paused");
            Assert.That(producer.MaxPending, Is.LessThanOrEqualTo(transport.HighWaterMark + 64 * 1024));
            // The child's side: cat's peak resident set stays small (it never holds more than its buffer).
            Assert.That(protocol.ChildPeakKiB, Is.InRange(1, 16 * 1024), "cat's VmHWM in KiB");
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void TwoHundredConcurrentChildrenAreAllReaped(bool sigChldFallback)
    {
        if (sigChldFallback) Loop.ProcessExitNotification = ProcessExitNotification.SigChld;
        var protocols = new List<RecordingProcessProtocol>();
        var pids = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            var protocol = new RecordingProcessProtocol();
            // Only stdout is a pipe: 200 children × (pipe + pidfd) stays well inside the descriptor limit.
            var transport = Loop.SpawnProcess(protocol, "sh", ["sh", "-c", $"exit {i % 7}"],
                childFds: new Dictionary<int, ChildFd> { [1] = ChildFd.ReadFromChild });
            protocols.Add(protocol);
            pids.Add(transport.Pid!.Value);
        }
        Loop.RunUntil(() => protocols.All(p => p.IsEnded), "200 children end");
        for (var i = 0; i < 200; i++)
        {
            var reason = protocols[i].EndedReason!.Value;
            var code = reason is ProcessTerminated t ? t.ExitCode : 0;
            Assert.That(code, Is.EqualTo(i % 7), $"child {i}");
        }
        Assert.That(pids.Where(ProcessTesting.IsOurZombie), Is.Empty, "no child is left a zombie");
    }

    [Test]
    public void NoZombieAndNoLeakedDescriptorAfterAThousandSpawns()
    {
        var descriptorsBefore = ProcessTesting.OpenDescriptorCount();
        var pids = new List<int>();
        var ended = 0;
        var running = 0;
        while (pids.Count < 1000)
        {
            // 50 at a time, each with the default three pipes.
            while (running < 50 && pids.Count < 1000)
            {
                var protocol = new EndCounter(() => { ended++; running--; });
                pids.Add(Loop.SpawnProcess(protocol, "true").Pid!.Value);
                running++;
            }
            Loop.Iterate(TimeSpan.FromMilliseconds(20));
        }
        Loop.RunUntil(() => ended == 1000, "1,000 children end");
        Assert.Multiple(() =>
        {
            Assert.That(pids.Where(ProcessTesting.IsOurZombie), Is.Empty, "no zombie in /proc");
            Assert.That(ProcessTesting.OpenDescriptorCount(), Is.EqualTo(descriptorsBefore), "every pipe and pidfd was closed");
        });
    }

    private sealed class EndCounter(Action ended) : ProcessProtocol
    {
        public override void ProcessEnded(Reactor.Defer.Failure reason) => ended();
    }

    [Test]
    public void TheChildsDescriptorListShowsOnlyTheMap()
    {
        // A descriptor of ours, without close-on-exec, that the child must still not get.
        var leaky = System.IO.File.OpenHandle("/dev/null");
        var protocol = new RecordingProcessProtocol();
        var map = new Dictionary<int, ChildFd>
        {
            [0] = ChildFd.WriteToChild,
            [1] = ChildFd.ReadFromChild,
            [2] = ChildFd.ReadFromChild,
            [5] = ChildFd.ReadFromChild,
        };
        // The shell lists its own descriptors (it waits while ls runs, so ls's own do not show).
        Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "ls /proc/$$/fd; echo five >&5"], childFds: map);
        Loop.RunUntil(() => protocol.IsEnded, "sh ends");
        leaky.Dispose();
        var listed = protocol.Text(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Order();
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.EqualTo(new[] { 0, 1, 2, 5 }));
            Assert.That(protocol.Text(5), Is.EqualTo("five\n"));
            Assert.That(protocol.Events, Does.Contain("ChildConnectionLost(5)"));
        });
    }

    [Test]
    public void DescriptorsLeftOutOfTheMapAreClosedAndInheritedOnesAreCopies()
    {
        var file = Path.GetTempFileName();
        try
        {
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write))
            {
                var protocol = new RecordingProcessProtocol();
                var map = new Dictionary<int, ChildFd>
                {
                    [1] = ChildFd.ReadFromChild,
                    [3] = ChildFd.Inherit((int)stream.SafeFileHandle.DangerousGetHandle()),
                };
                Loop.SpawnProcess(protocol, "sh", ["sh", "-c", "ls /proc/$$/fd; echo via-three >&3"], childFds: map);
                Loop.RunUntil(() => protocol.IsEnded, "sh ends");
                var listed = protocol.Text(1).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).Order();
                Assert.That(listed, Is.EqualTo(new[] { 1, 3 }), "0 and 2 are closed: the map does not name them");
            }
            Assert.That(File.ReadAllText(file), Is.EqualTo("via-three\n"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
