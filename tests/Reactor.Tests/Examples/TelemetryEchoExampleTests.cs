using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Reactor.Tests.Net;

namespace Reactor.Tests.Examples;

/// <summary>TelemetryEcho: the reactor's metrics reach the OpenTelemetry console exporter.</summary>
[TestFixture]
public class TelemetryEchoExampleTests
{
    [Test]
    public void TheConsoleExporterShowsTheTrafficItServedWhenItStops()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ExampleProcess.PathOf("TelemetryEcho"));
        // A long interval: the export the test reads is the one made at exit, not a periodic one.
        foreach (var argument in new[] { "--port", "0", "--export-interval", "3600" }) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var first = process.StandardOutput.ReadLineAsync().WaitAsync(NetTesting.Deadline).Result;
            Assert.That(first, Does.Match(@"^TelemetryEcho listening on 127\.0\.0\.1:\d+$"));
            var port = int.Parse(first![(first.LastIndexOf(':') + 1)..]);
            for (var i = 0; i < 3; i++)
            {
                using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000 };
                client.Connect(IPAddress.Loopback, port);
                client.Send("hello"u8.ToArray());
                var back = new byte[5];
                var got = 0;
                while (got < 5) got += client.Receive(back, got, 5 - got, SocketFlags.None);
                client.Shutdown(SocketShutdown.Send);
                Assert.That(client.Receive(new byte[1]), Is.Zero, "the echo server closed after the FIN");
            }
            var rest = process.StandardOutput.ReadToEndAsync();
            using (var kill = Process.Start("kill", $"-TERM {process.Id}")) kill.WaitForExit(10_000);
            Assert.That(process.WaitForExit((int)NetTesting.Deadline.TotalMilliseconds), Is.True, "it stopped on SIGTERM");
            Assert.That(process.ExitCode, Is.Zero, stderr.Result);
            var exported = rest.Result;
            Assert.That(exported, Does.Contain("Metric Name: reactor.connection.opened"));
            Assert.That(exported, Does.Contain("Name: Reactor"), "the instruments come from the reactor's Meter");
            Assert.That(exported, Does.Match(@"reactor\.connection\.opened[^\n]*\n(?:[^\n]*\n)*?[^\n]*network\.transport: tcp[^\n]*\nValue: 3\b"),
                "three TCP connections were counted");
            Assert.That(exported, Does.Contain("Metric Name: reactor.io"));
            Assert.That(exported, Does.Contain("Metric Name: reactor.loop.iteration.duration"));
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }
    }
}
