using System.Diagnostics;
using System.Text;

namespace Reactor.Web.Tests.Examples;

/// <summary>HttpHello, StaticServer and HttpGet as programs: the examples' command-line contract, over loopback.</summary>
public sealed class ExampleProgramTests
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Test]
    public async Task HttpHelloAnswersPlaintextAndJsonAndStopsOnSigterm()
    {
        using var server = ExampleProcess.StartServer("HttpHello", "--port", "0");
        Assert.That(server.FirstLine, Does.Match(@"^HttpHello listening on 127\.0\.0\.1:\d+$"));
        Assert.That(await Client.GetStringAsync($"http://127.0.0.1:{server.Port}/plaintext"), Is.EqualTo("Hello, World!"));
        Assert.That(await Client.GetStringAsync($"http://127.0.0.1:{server.Port}/json"), Is.EqualTo("{\"message\":\"Hello, World!\"}"));
        Assert.That(server.Terminate(), Is.Zero, server.Stderr);
    }

    [Test]
    public void UnknownSelectorIsAUsageError()
    {
        using var process = Process.Start(ExampleProcess.Info("HttpHello", "--selector", "nope"))!;
        Assert.That(process.WaitForExit(30_000), Is.True);
        Assert.That(process.ExitCode, Is.Not.Zero);
        Assert.That(process.StandardError.ReadToEnd(), Does.Contain("epoll"));
    }

    [Test]
    public async Task StaticServerServesAFolderAndHttpGetFetchesFromIt()
    {
        var root = Directory.CreateTempSubdirectory("reactor-web-example-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "a.txt"), "file body\n");
            using var server = ExampleProcess.StartServer("StaticServer", "--port", "0", "--root", root);
            Assert.That(server.FirstLine, Does.Match(@"^StaticServer listening on 127\.0\.0\.1:\d+$"));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{server.Port}/a.txt");
            request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 3);
            using var ranged = await Client.SendAsync(request);
            Assert.That((int)ranged.StatusCode, Is.EqualTo(206));
            Assert.That(await ranged.Content.ReadAsStringAsync(), Is.EqualTo("file"));

            var (ok, stdout, stderr) = RunHttpGet($"http://127.0.0.1:{server.Port}/a.txt");
            Assert.That(ok, Is.Zero, stderr);
            Assert.That(stdout, Is.EqualTo("file body\n"));
            Assert.That(stderr, Does.StartWith("HTTP/1.1 200 OK\n"));
            Assert.That(stderr, Does.Contain("Content-Type: text/plain; charset=utf-8"));

            var (missing, _, missingErr) = RunHttpGet($"http://127.0.0.1:{server.Port}/nothing");
            Assert.That(missing, Is.EqualTo(1), "non-2xx exits 1");
            Assert.That(missingErr, Does.StartWith("HTTP/1.1 404 Not Found"));

            var (followed, listing, _) = RunHttpGet("--follow", $"http://127.0.0.1:{server.Port}");
            Assert.That(followed, Is.Zero);
            Assert.That(listing, Does.Contain("a.txt"));
            Assert.That(server.Terminate(), Is.Zero, server.Stderr);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void HttpGetReportsAConnectionErrorAndExits1()
    {
        var (code, _, stderr) = RunHttpGet("http://127.0.0.1:1/");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("HttpGet: "));
    }

    private static (int ExitCode, string Stdout, string Stderr) RunHttpGet(params string[] arguments)
    {
        using var process = Process.Start(ExampleProcess.Info("HttpGet", arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("HttpGet did not finish");
        }
        return (process.ExitCode, stdout.Result, stderr.Result.Replace("\r", ""));
    }
}
