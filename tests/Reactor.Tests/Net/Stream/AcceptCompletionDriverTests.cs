using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Reactor.Core;
using Reactor.Native;
using Reactor.Net;
using Reactor.Net.Internal;
using Reactor.Net.Stream;
using Reactor.Net.Tcp;
using Reactor.Protocols;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Infrastructure;

namespace Reactor.Tests.Net.Stream;

/// <summary>
/// How <see cref="AcceptingPort"/> treats what a completion driver's accepts end with, through a
/// scripted driver over a readiness reactor (a real kernel cannot be made to refuse multishot accept or
/// run out of descriptors on demand): EINVAL before any accept means the kernel has no multishot accept,
/// and the port (and every later one) goes back to accept(2) without losing the connection; EMFILE
/// pauses and resumes the port exactly as accept(2)'s does.
/// </summary>
public sealed class AcceptCompletionDriverTests
{
    private ReactorLoop _reactor = null!;
    private CapturingLogger _logger = null!;

    [SetUp]
    public void Start()
    {
        _logger = new CapturingLogger();
        _reactor = NetTesting.CreateReactor(SelectorKind.Poll, _logger);
    }

    [TearDown]
    public void TearDown() => _reactor.Dispose();

    [Test]
    public void AKernelWithoutMultishotAcceptLeavesEveryPortOnAccept()
    {
        var driver = new ScriptedDriver();
        driver.Script.Enqueue(Errno.EINVAL);
        var host = new CompletionSeamHost((ITransportHost)_reactor, LibcSyscalls.Instance, accepts: driver);
        int built = 0;
        var factory = Factory.ForProtocol(() => { built++; return new RecordingProtocol(); });
        var port = TcpPort.Listen(host, factory, new IPEndPoint(IPAddress.Loopback, 0), 16);
        Assert.That(driver.Claimed, Is.EqualTo(1));

        using (NetTesting.ConnectBlocking(port)) _reactor.RunUntil(() => built == 1, "the connection accepted with accept(2) after the EINVAL");
        Assert.That(driver.RefusedBecause, Does.Contain("EINVAL"));
        Assert.That(driver.Released, Is.EqualTo(1), "the port let go of its claim");
        Assert.That(driver.Taken, Is.Zero, "no connection came through the driver");

        var later = TcpPort.Listen(host, factory, new IPEndPoint(IPAddress.Loopback, 0), 16);
        Assert.That(driver.Claimed, Is.EqualTo(1), "a later port does not claim");
        using (NetTesting.ConnectBlocking(later)) _reactor.RunUntil(() => built == 2, "the later port accepts with accept(2)");
        port.StopListening();
        later.StopListening();
        Assert.That(_logger.Errors, Is.Empty);
    }

    [Test]
    public void AnEmfileTheKernelsAcceptEndedWithPausesAndResumesThePortLikeAccept()
    {
        var driver = new ScriptedDriver();
        var host = new CompletionSeamHost((ITransportHost)_reactor, LibcSyscalls.Instance, accepts: driver);
        int built = 0;
        var port = TcpPort.Listen(host, Factory.ForProtocol(() => { built++; return new RecordingProtocol(); }), new IPEndPoint(IPAddress.Loopback, 0), 16);
        port.AcceptRetryDelay = TimeSpan.FromMilliseconds(10);
        driver.Script.Enqueue(Errno.EMFILE);

        using var client = NetTesting.ConnectBlocking(port);
        _reactor.RunUntil(() => built == 1, "accepted once the back-off ended");
        Assert.That(port.AcceptPauses, Is.EqualTo(1), "one pause for the EMFILE");
        Assert.That(driver.Taken, Is.EqualTo(1), "the connection came through the driver");
        Assert.That(driver.RefusedBecause, Is.Null, "EMFILE is not a refusal");
        Assert.That(_logger.Entries.Count(e => e.Message.Contains("pausing accepting")), Is.EqualTo(1));
        port.StopListening();
        Assert.That(driver.Released, Is.EqualTo(1));
    }

    [Test]
    public void TheIoUringDriverSaysOnceThatTheKernelRefusedIt()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        using var selector = IoUringSelector.TryCreate(out _)!;
        var driver = new IoUringAcceptDriver(selector.Completions, _logger);
        Assert.That(driver.Available, Is.True);
        driver.Refuse("the kernel answered EINVAL");
        driver.Refuse("the kernel answered EINVAL");
        Assert.That(driver.Available, Is.False);
        Assert.That(_logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message),
            Is.EqualTo(new[] { "io_uring multishot accept refused (the kernel answered EINVAL); listeners accept on readiness instead of completions" }));
    }


    /// <summary>
    /// A completion driver played by accept(2) on readiness: a scripted error first (what the kernel's
    /// request ended with), otherwise whatever is in the backlog.
    /// </summary>
    private sealed unsafe class ScriptedDriver : IAcceptCompletionDriver
    {
        public readonly Queue<Errno> Script = new();
        public int Claimed;
        public int Released;
        public int Taken;
        public string? RefusedBecause;

        public bool Available => RefusedBecause is null;

        public void Claim(int fd) => Claimed++;

        public bool TakeAccepted(int fd, out int accepted, out Errno error)
        {
            accepted = -1;
            if (Script.TryDequeue(out error)) return true;
            accepted = LibcSyscalls.Instance.Accept(fd, null, null, out error);
            if (accepted < 0) return !error.IsWouldBlock;
            Taken++;
            return true;
        }

        public void Release(int fd) => Released++;

        public void Refuse(string reason) => RefusedBecause ??= reason;
    }
}
