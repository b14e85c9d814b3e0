using System.Text;
using Reactor.Core;
using Reactor.Web.Client;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Interop;

/// <summary>Our Agent against servers nobody here wrote: Python's http.server and Twisted's web server.</summary>
public sealed class ClientInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private string _root = null!;
    private ReactorLoop _reactor = null!;
    private Thread _thread = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Directory.CreateTempSubdirectory("reactor-web-client-").FullName;
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "Hello from a file\n");
        var big = new byte[300_000];
        for (var i = 0; i < big.Length; i++) big[i] = (byte)('0' + i % 10);
        File.WriteAllBytes(Path.Combine(_root, "big.txt"), big);
        _reactor = ReactorLoop.Create();
        _thread = new Thread(_reactor.Run) { IsBackground = true };
        _thread.Start();
    }

    [TearDown]
    public void TearDown()
    {
        _reactor.CallFromThread(_reactor.Stop);
        Assert.That(_thread.Join(Timeout), Is.True);
        _reactor.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private void FetchBoth(int port)
    {
        var agent = new Agent(_reactor, _reactor);
        var text = OnReactor.Wait(_reactor, () => agent.Request("GET", $"http://127.0.0.1:{port}/hello.txt").AddCallback(r => r.ReadTextAsync()));
        Assert.That(text, Is.EqualTo("Hello from a file\n"));
        var big = OnReactor.Wait(_reactor, () => agent.Request("GET", $"http://127.0.0.1:{port}/big.txt").AddCallback(r => r.ReadBodyAsync()));
        Assert.That(big, Has.Length.EqualTo(300_000));
        Assert.That(Encoding.ASCII.GetString(big, 299_990, 10), Is.EqualTo("0123456789"));
        var missing = OnReactor.Wait(_reactor, () => agent.Request("GET", $"http://127.0.0.1:{port}/missing").AddCallback(r => r.Code));
        Assert.That(missing, Is.EqualTo(404));
        OnReactor.Run(_reactor, () =>
        {
            agent.CloseIdleConnections();
            return 0;
        });
    }

    [Test]
    public void AgentFetchesFromPythonHttpServer()
    {
        var python = ExternalTool.Require("python3");
        using var server = new ChildProcess(python, ["-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", _root]);
        var port = int.Parse(server.WaitFor(@"port (\d+)"), System.Globalization.CultureInfo.InvariantCulture);
        FetchBoth(port);
    }

    [Test]
    public void AgentFetchesFromTwistedWebServer()
    {
        var python = ExternalTool.RequireTwisted();
        using var server = new ChildProcess(python, ["-m", "twisted", "web", "--listen", "tcp:0:interface=127.0.0.1", "--path", _root]);
        var port = int.Parse(server.WaitFor(@"Site starting on (\d+)"), System.Globalization.CultureInfo.InvariantCulture);
        FetchBoth(port);
    }
}
