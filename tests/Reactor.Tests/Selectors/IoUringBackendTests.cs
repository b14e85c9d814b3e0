using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Tests.Core;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The io_uring backend's own promises (the shared selector and transport suites run on it too,
/// through <see cref="SelectorBackends"/> / NetBackends): the kernel structures have the ABI's
/// sizes, the name is <c>io_uring</c>, and where the kernel refuses io_uring the reactor falls back
/// to epoll with one warning that says why.
/// </summary>
public sealed class IoUringBackendTests
{
    [Test]
    public void TheSharedStructuresHaveTheKernelsSizes()
    {
        Assert.That(Unsafe.SizeOf<IoUringParams>(), Is.EqualTo(120));
        Assert.That(Unsafe.SizeOf<IoUringSqe>(), Is.EqualTo(64));
        Assert.That(Unsafe.SizeOf<IoUringCqe>(), Is.EqualTo(16));
        Assert.That(Unsafe.SizeOf<IoUringGetEventsArg>(), Is.EqualTo(24));
        Assert.That(Unsafe.SizeOf<KernelTimespec>(), Is.EqualTo(16));
        Assert.That(Unsafe.SizeOf<IoUringBuf>(), Is.EqualTo(16));
        Assert.That(Unsafe.SizeOf<IoUringBufReg>(), Is.EqualTo(40));
        Assert.That(Unsafe.SizeOf<MsgHdr>(), Is.EqualTo(56));
    }

    [TestCase("io_uring")]
    [TestCase("IO_URING")]
    [TestCase("iouring")]
    public void TheBackendIsNamedIoUring(string name)
    {
        Assert.That(SelectorFactory.Parse(name), Is.EqualTo(SelectorKind.IoUring));
        Assert.That(SelectorFactory.NameOf(SelectorKind.IoUring), Is.EqualTo("io_uring"));
    }

    [Test]
    public void WhereTheKernelHasItItIsAvailableAndCreated()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        Assert.That(SelectorFactory.Available, Does.Contain(SelectorKind.IoUring));
        using var selector = SelectorFactory.Create(SelectorKind.IoUring);
        Assert.That(selector, Is.TypeOf<IoUringSelector>());
    }

    [TestCase(1, "EPERM", TestName = "{m}(EPERM: io_uring_disabled or seccomp)")]
    [TestCase(38, "ENOSYS", TestName = "{m}(ENOSYS: no io_uring in the kernel)")]
    public void ARefusedSetupFallsBackToEpollWithOneWarning(int errno, string named)
    {
        if (!NativePlatform.IsLinux) Assert.Ignore("epoll, the fallback, is Linux only");
        var logger = new CapturingLogger();
        var refusing = new RefusingIoUring(-errno);
        using var selector = SelectorFactory.CreateWith(SelectorKind.IoUring, LibcSyscalls.Instance, refusing, logger);

        Assert.That(selector, Is.TypeOf<EpollSelector>());
        Assert.That(refusing.Setups, Is.GreaterThanOrEqualTo(1));
        Assert.That(logger.Entries, Has.Count.EqualTo(1), "exactly one log line");
        Assert.That(logger.Entries[0].Level, Is.EqualTo(LogLevel.Warning));
        Assert.That(logger.Entries[0].Message, Does.Contain("io_uring").And.Contain(named).And.Contain("epoll"));
    }

    [Test]
    public void AKernelWithoutTheNeededFeaturesFallsBackToo()
    {
        if (!NativePlatform.IsLinux) Assert.Ignore("epoll, the fallback, is Linux only");
        var logger = new CapturingLogger();
        using var selector = SelectorFactory.CreateWith(SelectorKind.IoUring, LibcSyscalls.Instance, new FeaturelessIoUring(), logger);

        Assert.That(selector, Is.TypeOf<EpollSelector>());
        Assert.That(logger.Entries.Single().Message, Does.Contain("required feature"));
    }

    [Test]
    public void AReactorAskedForIoUringRunsOnWhatItGot()
    {
        var logger = new CapturingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = SelectorKind.IoUring, Logger = logger });
        var fired = false;
        reactor.CallLater(TimeSpan.FromMilliseconds(1), () => fired = true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!fired && DateTime.UtcNow < deadline) reactor.Iterate(TimeSpan.FromMilliseconds(50));
        Assert.That(fired, Is.True, "a timer fires: the wait's timeout comes from the loop's heap");
        var warnings = logger.Entries.Count(e => e.Level == LogLevel.Warning);
        Assert.That(warnings, Is.EqualTo(SelectorFactory.IoUringUnavailableReason is null ? 0 : 1));
    }

    /// <summary>A kernel (or seccomp filter) that refuses io_uring_setup with <c>-errno</c>.</summary>
    private sealed unsafe class RefusingIoUring(int result) : IIoUringSyscalls
    {
        public int Setups;

        public int Setup(uint entries, IoUringParams* parameters)
        {
            Setups++;
            return result;
        }

        public int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize) => throw new InvalidOperationException("no ring");
        public void* Map(int ringFd, nuint length, long offset, out Errno errno) => throw new InvalidOperationException("no ring");
        public void Unmap(void* address, nuint length) => throw new InvalidOperationException("no ring");
        public void* MapBuffers(nuint length, out Errno errno) => throw new InvalidOperationException("no ring");
        public int Register(int ringFd, uint opcode, void* argument, uint count) => throw new InvalidOperationException("no ring");
    }

    /// <summary>An old kernel: setup works (a real descriptor, closed by the backend) but reports no features.</summary>
    private sealed unsafe class FeaturelessIoUring : IIoUringSyscalls
    {
        public int Setup(uint entries, IoUringParams* parameters)
        {
            parameters->Features = 0;
            return LibcSyscalls.Instance.CreateEventFd(out _);
        }

        public int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize) => throw new InvalidOperationException("no ring");
        public void* Map(int ringFd, nuint length, long offset, out Errno errno) => throw new InvalidOperationException("no ring");
        public void Unmap(void* address, nuint length) => throw new InvalidOperationException("no ring");
        public void* MapBuffers(nuint length, out Errno errno) => throw new InvalidOperationException("no ring");
        public int Register(int ringFd, uint opcode, void* argument, uint count) => throw new InvalidOperationException("no ring");
    }
}
