using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Reactor.Native;
using Reactor.Tests.Net;
using static Reactor.Tests.Hosting.HostingTestKit;

namespace Reactor.Tests.Hosting;

/// <summary>examples/HostedEcho run as a real child process: appsettings.json, SIGTERM, systemd activation.</summary>
[TestFixture]
[NonParallelizable]
public class HostedEchoExampleTests
{
    [Test]
    public void ItServesAndStopsCleanlyOnSigtermWithItsShutdownTriggersRun()
    {
        using var echo = ExampleProcess.Start("HostedEcho", "--port", "0");
        Assert.That(echo.FirstLine, Does.Match(@"^HostedEcho listening on 127\.0\.0\.1:\d+$"));
        Assert.That(EchoThrough(new IPEndPoint(IPAddress.Loopback, echo.Port), "hosted"), Is.EqualTo("hosted"));

        Assert.That(echo.Terminate(), Is.Zero, "SIGTERM ends it with exit code 0");
        echo.Process.WaitForExit(); // drains stderr
        Assert.That(echo.Stderr, Does.Contain("HostedEcho: shutdown triggers ran"));
    }

    [Test]
    public void ItReadsItsListenerFromAppsettingsJson()
    {
        // appsettings.json says tcp:8000; a bad override of the same key proves which key is read,
        // and the failure names it.
        var (exitCode, error) = ExampleProcess.RunToExit("HostedEcho", "--Reactor:ReadBufferSize=0");
        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(error, Does.Contain("Reactor:ReadBufferSize must be a positive number of bytes"));
        var settings = Path.Combine(Path.GetDirectoryName(ExampleProcess.PathOf("HostedEcho"))!, "appsettings.json");
        Assert.That(File.ReadAllText(settings), Does.Contain("\"Echo\": \"tcp:8000:interface=127.0.0.1\""));
    }

    // systemd's protocol for real: the listening socket the test made is descriptor 3 of the child,
    // LISTEN_FDS=1 and LISTEN_PID its pid (set by a shell that then execs the program, as
    // systemd-socket-activate does).
    [Test]
    public void ItServesASocketPassedAsDescriptorThreeBySystemdActivation()
    {
        using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listening.Listen(16);
        var fd = (int)listening.Handle;
        // Let this one descriptor cross exec (sockets are close-on-exec by default).
        Assert.That(LibcSyscalls.Instance.Fcntl(fd, NativeConstants.F_SETFD, 0, out var errno), Is.Zero, errno.ToString());

        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec 3<&{fd} {fd}<&-; export LISTEN_FDS=1 LISTEN_PID=$$ LISTEN_FDNAMES=echo; exec dotnet \"$0\" \"$@\"");
        info.ArgumentList.Add(ExampleProcess.PathOf("HostedEcho"));
        info.ArgumentList.Add("--listen");
        info.ArgumentList.Add("systemd:domain=INET:name=echo");
        using var process = Process.Start(info)!;
        LibcSyscalls.Instance.Fcntl(fd, NativeConstants.F_SETFD, NativeConstants.FD_CLOEXEC, out _);
        try
        {
            var firstLine = process.StandardOutput.ReadLineAsync();
            Assert.That(firstLine.Wait(Deadline), Is.True, "the first line came");
            Assert.That(firstLine.Result, Is.EqualTo($"HostedEcho listening on {listening.LocalEndPoint}"));
            var address = listening.LocalEndPoint!;
            listening.Close(); // only the child's copy is left
            Assert.That(EchoThrough(address, "systemd"), Is.EqualTo("systemd"));
        }
        finally
        {
            using (var kill = Process.Start("kill", $"-TERM {process.Id}")) kill.WaitForExit(10_000);
            if (!process.WaitForExit((int)Deadline.TotalMilliseconds)) process.Kill();
        }
        Assert.That(process.ExitCode, Is.Zero);
    }
}
