using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Docs.Samples.Guides.Processes;
using Reactor.Net.Stdio;
using Reactor.Tests.Core;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/processes.md: each sample run for real.</summary>
[TestFixture]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ProcessesGuideTests
{
    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("runs tr, sleep and Linux descriptors");
    }

    [Test]
    public void TheSpawnSampleUpperCasesThroughTr()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        var child = ProcessSamples.RunTr(reactor);
        Assert.That(child.Output, Is.EqualTo("HELLO, CHILD\n"));
        Assert.That(child.ExitCode, Is.Zero);
    }

    [Test]
    public void TheSignalSampleReportsSignalNine()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        var protocol = new CollectOutput(reactor);
        ProcessSamples.KillSleep(reactor, protocol);
        reactor.Run();
        Assert.That(protocol.Signal, Is.EqualTo(9));
    }

    [Test]
    public unsafe void TheStdioSampleShoutsItsInput()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        var syscalls = Reactor.Native.LibcSyscalls.Instance;
        syscalls.CreatePipe(out var inRead, out var inWrite, out _);
        syscalls.CreatePipe(out var outRead, out var outWrite, out _);
        try
        {
            var data = "quiet\n"u8.ToArray();
            fixed (byte* p = data) syscalls.Write(inWrite, p, data.Length, out _);
            syscalls.Close(inWrite, out _);
            using var stdio = new StandardIO(new Shout(reactor), reactor, inRead, outWrite);
            reactor.Run();
            var buffer = new byte[64];
            nint n;
            fixed (byte* p = buffer) n = syscalls.Read(outRead, p, buffer.Length, out _);
            Assert.That(System.Text.Encoding.ASCII.GetString(buffer, 0, (int)n), Is.EqualTo("QUIET\n"));
        }
        finally
        {
            foreach (var fd in new[] { inRead, outRead, outWrite }) syscalls.Close(fd, out _);
        }
    }

    [Test]
    public void TheBlockingSampleEchoes()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        var address = (IPEndPoint)ProcessSamples.BlockingEcho(reactor).GetHost();
        var loop = new Thread(reactor.Run) { IsBackground = true };
        loop.Start();
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
            socket.Connect(address);
            socket.Send("ping"u8.ToArray());
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[16];
            var total = 0;
            int n;
            while ((n = socket.Receive(buffer, total, buffer.Length - total, SocketFlags.None)) > 0) total += n;
            Assert.That(buffer[..total], Is.EqualTo("ping"u8.ToArray()));
        }
        finally
        {
            reactor.CallFromThread(reactor.Stop);
            loop.Join(TimeSpan.FromSeconds(30));
        }
    }
}
