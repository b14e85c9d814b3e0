using Reactor.Native;
using Reactor.Selectors;
using Reactor.Selectors.Internal;
using Reactor.Core;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;
using Reactor.Tests.Native;
using static Reactor.Native.NativeConstants;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The wake-up descriptor when a producer's signal lands while the selector drains it: the
/// interleaving behind a reactor that, once in a long while, stopped hearing CallFromThread (a
/// blocking-handler transfer stalled and Stop never arrived). The race is made certain by running
/// the second signal from inside the drain's read, through the syscall seam.
/// </summary>
public sealed unsafe class WakeSignalTests
{
    [TestCase(false, TestName = "ASignalDuringTheDrainDoesNotSilenceLaterSignals(eventfd)")]
    [TestCase(true, TestName = "ASignalDuringTheDrainDoesNotSilenceLaterSignals(pipe)")]
    public void ASignalDuringTheDrainDoesNotSilenceLaterSignals(bool usePipe)
    {
        var syscalls = new SignalDuringDrainSyscalls();
        using var wake = WakeSignal.Create(syscalls, usePipe);
        syscalls.Arm(wake);

        wake.Signal();
        Assert.That(IsReadable(wake.ReadFd), Is.True, "the first signal makes the descriptor readable");
        wake.Consume(); // a second producer signals from inside this drain
        Assert.That(syscalls.SignalledDuringDrain, Is.True, "the race was staged");

        // The selector has woken and the racing producer's call is queued before its signal, so
        // the loop runs it; what must hold is that the NEXT signal still wakes a sleeping selector.
        if (IsReadable(wake.ReadFd)) wake.Consume();
        wake.Signal();
        Assert.That(IsReadable(wake.ReadFd), Is.True, "a signal after the drain wakes the selector again");
    }

    [TestCaseSource(nameof(BackendsWithAWakeSignal))]
    public void ALoopWhoseWakeUpRacedItsDrainStillHearsCallFromThread(SelectorKind kind)
    {
        var syscalls = new SignalDuringDrainSyscalls();
        var logger = new CapturingLogger();
        ISelector? selector = null;
        using var reactor = ReactorLoop.Create(new ReactorOptions
        {
            Logger = logger,
            SelectorFactory = () => selector = CreateOver(kind, syscalls),
        });
        // The drain's read makes a call from "another producer" while the loop is inside Wait
        // with its sleeping flag still set, so that call's wake-up races the drain exactly as a
        // worker thread's can.
        var racedCallRan = 0;
        syscalls.DuringDrain = () => reactor.CallFromThread(() => racedCallRan++);
        // A signal whose write landed after the loop last woke for something else: the loop will
        // go to sleep with the descriptor already readable, so it drains at once while marked
        // as sleeping (the only way a producer's wake-up can meet the drain).
        selector!.Wake();

        var loop = new Thread(reactor.Run) { IsBackground = true, Name = "reactor under test" };
        loop.Start();
        try
        {
            Assert.That(syscalls.Staged.Wait(TimeSpan.FromSeconds(10)), Is.True, "the loop drained the wake-up (the race was staged)");
            // Each call must now reach the sleeping loop.
            for (var i = 0; i < 3; i++)
            {
                using var ran = new ManualResetEventSlim();
                reactor.CallFromThread(ran.Set);
                Assert.That(ran.Wait(TimeSpan.FromSeconds(10)), Is.True, $"call {i + 1} reached the loop");
            }
        }
        finally
        {
            reactor.CallFromThread(reactor.Stop);
            Assert.That(loop.Join(TimeSpan.FromSeconds(10)), Is.True, "Stop reached the loop");
        }
        Assert.That(racedCallRan, Is.EqualTo(1), "the call made during the drain ran too");
    }

    /// <summary>The available backends whose wake-up is a <see cref="WakeSignal"/> (kqueue uses EVFILT_USER where it has it).</summary>
    public static IEnumerable<SelectorKind> BackendsWithAWakeSignal() =>
        Backends.Available().Where(kind => kind != SelectorKind.Kqueue);

    private static ISelector CreateOver(SelectorKind kind, ISyscalls syscalls) => kind switch
    {
        SelectorKind.Epoll => new EpollSelector(syscalls),
        SelectorKind.Poll => new PollSelector(syscalls),
        SelectorKind.Select => new SelectSelector(syscalls),
        SelectorKind.IoUring => IoUringSelector.TryCreateWith(LibcIoUringSyscalls.Instance, syscalls, out var whyNot)
            ?? throw new InvalidOperationException(whyNot),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static bool IsReadable(int fd)
    {
        var pollFd = new PollFd { Fd = fd, Events = POLLIN };
        Assert.That(LibcSyscalls.Instance.Poll(&pollFd, 1, 0, out var errno), Is.GreaterThanOrEqualTo(0), errno.ToString());
        return (pollFd.REvents & POLLIN) != 0;
    }

    /// <summary>
    /// The real kernel, except that the first read of the wake-up descriptor first runs a second
    /// producer's signal: the interleaving "signal lands between the selector's wake and its drain".
    /// </summary>
    private sealed class SignalDuringDrainSyscalls() : ForwardingSyscalls(LibcSyscalls.Instance)
    {
        private WakeSignal? _wake;
        private int _wakeFd = -1;
        private int _staged;

        /// <summary>Runs inside the first drain instead of signalling the armed WakeSignal directly.</summary>
        public Action? DuringDrain { get; set; }

        public bool SignalledDuringDrain => Volatile.Read(ref _staged) == 1;

        /// <summary>Set once the staged signal has run inside a drain.</summary>
        public ManualResetEventSlim Staged { get; } = new();

        public void Arm(WakeSignal wake)
        {
            _wake = wake;
            _wakeFd = wake.ReadFd;
        }

        public override int CreateEventFd(out Errno errno)
        {
            var fd = base.CreateEventFd(out errno);
            if (_wakeFd < 0) _wakeFd = fd;
            return fd;
        }

        public override int CreatePipe(out int readFd, out int writeFd, out Errno errno)
        {
            var result = base.CreatePipe(out readFd, out writeFd, out errno);
            if (_wakeFd < 0 && result >= 0) _wakeFd = readFd;
            return result;
        }

        public override nint Read(int fd, byte* buffer, nint count, out Errno errno)
        {
            if (fd == _wakeFd && Interlocked.CompareExchange(ref _staged, 1, 0) == 0)
            {
                if (DuringDrain is { } during) during();
                else _wake!.Signal();
                Staged.Set();
            }
            return base.Read(fd, buffer, count, out errno);
        }
    }
}
