using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Reactor.Application;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Defer;
using Reactor.Hosting;
using Reactor.Protocols;
using Reactor.Selectors;
using static Reactor.Tests.Hosting.HostingTestKit;

namespace Reactor.Tests.Hosting;

/// <summary>AddReactor: options from configuration, validation, listeners from DI, the host's logger.</summary>
[TestFixture]
[NonParallelizable]
public class AddReactorTests
{
    private static Dictionary<string, string?> EchoSettings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Reactor:Listeners:Echo"] = "tcp:0:interface=127.0.0.1" };
        foreach (var (key, value) in more) settings[key] = value;
        return settings;
    }

    /// <summary>A factory made by DI: its greeting comes from the container.</summary>
    private sealed class GreetingFactory(Greeting greeting) : Factory
    {
        public override IProtocol? BuildProtocol(EndPoint address) => new Greeter(greeting.Text);

        private sealed class Greeter(string text) : Protocol
        {
            public override void ConnectionMade() => Transport.Write(System.Text.Encoding.ASCII.GetBytes(text));

            public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
        }
    }

    private sealed record Greeting(string Text);

    [Test]
    public async Task OptionsComeFromConfigurationAndListenersServeWithTheirFactory()
    {
        var builder = Builder(EchoSettings(("Reactor:Selector", "poll"), ("Reactor:ReadBufferSize", "4096")));
        builder.Services.AddSingleton(new Greeting("hi:"));
        builder.Services.AddReactor().AddListener<GreetingFactory>("Echo");
        using var host = builder.Build();
        await host.StartWithin();

        var hosted = host.Services.GetRequiredService<ReactorHostedService>();
        Assert.That(hosted.Reactor!.SelectorKind, Is.EqualTo(SelectorKind.Poll));
        Assert.That(host.Services.GetRequiredService<IOptions<ReactorOptions>>().Value.ReadBufferSize, Is.EqualTo(4096));
        var address = hosted.GetListener("Echo").Port!.GetHost();
        Assert.That(EchoThrough(address, "x"), Is.EqualTo("hi:"[..1]), "the DI-built factory's protocol answered");
        await host.StopWithin();
    }

    [Test]
    public void TheHardeningLimitsBindFromConfiguration()
    {
        var builder = Builder(EchoSettings(
            ("Reactor:WriteHighWaterMark", "131072"), ("Reactor:WriteLowWaterMark", "4096"),
            ("Reactor:TlsHandshakeTimeout", "00:00:05"), ("Reactor:CloseTimeout", "00:00:07"),
            ("Reactor:MaxConsecutiveSelectorFailures", "3")));
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<ReactorOptions>>().Value;
        Assert.Multiple(() =>
        {
            Assert.That(options.WriteHighWaterMark, Is.EqualTo(131072));
            Assert.That(options.WriteLowWaterMark, Is.EqualTo(4096));
            Assert.That(options.TlsHandshakeTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(options.CloseTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(options.MaxConsecutiveSelectorFailures, Is.EqualTo(3));
        });
    }

    [TestCase("Reactor:WriteLowWaterMark", "999999999", "Reactor:WriteLowWaterMark (999999999) and Reactor:WriteHighWaterMark")]
    [TestCase("Reactor:CloseTimeout", "-00:00:05", "Reactor:CloseTimeout must be a positive time span")]
    [TestCase("Reactor:MaxConsecutiveSelectorFailures", "0", "Reactor:MaxConsecutiveSelectorFailures must be at least 1")]
    [TestCase("Reactor:ReadBufferSize", "0", "Reactor:ReadBufferSize must be a positive number of bytes")]
    [TestCase("Reactor:MaxEventsPerWait", "-5", "Reactor:MaxEventsPerWait must be positive")]
    [TestCase("Reactor:Listeners:Echo", "tcp:port=:nonsense=1", "Reactor:Listeners:Echo")]
    [TestCase("Reactor:Listeners:Echo", "carrier-pigeon:8000", "Reactor:Listeners:Echo ('carrier-pigeon:8000')")]
    [TestCase("Reactor:Listeners:Echo", "", "Reactor:Listeners:Echo is empty")]
    [TestCase("Reactor:Listeners:Spare", "tcp:0", "Reactor:Listeners:Spare is configured but no factory serves it")]
    public void ABadSettingFailsTheStartWithAMessageNamingItsKey(string key, string value, string expected)
    {
        var builder = Builder(EchoSettings((key, value)));
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Deadline));
        Assert.That(error!.Message, Does.Contain(expected));
    }

    [Test]
    public void AValueOfTheWrongTypeFailsTheStartNamingItsKey()
    {
        var builder = Builder(EchoSettings(("Reactor:Selector", "carrier-pigeon")));
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync().WaitAsync(Deadline));
        Assert.That(error!.Message, Does.Contain("Reactor:Selector"));
    }

    [Test]
    public void AListenerWithAFactoryButNoEndpointFailsTheStart()
    {
        var builder = Builder(new Dictionary<string, string?>());
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        var error = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Deadline));
        Assert.That(error!.Message, Does.Contain("Reactor:Listeners:Echo is not set"));
    }

    [Test]
    public async Task AListenerThatCannotListenFailsTheStartAndStopsTheLoop()
    {
        using var taken = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen(1);
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var builder = Builder(EchoSettings(("Reactor:Listeners:Echo", $"tcp:{port}:interface=127.0.0.1")));
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        Assert.ThrowsAsync<CannotListenError>(() => host.StartAsync().WaitAsync(Deadline));
        await host.Services.GetRequiredService<ReactorHostedService>().Stopped.WaitAsync(Deadline);
    }

    [Test]
    public async Task TheReactorLogsThroughTheHostsLoggerFactory()
    {
        var logs = new CapturingLoggerProvider();
        var builder = Builder(EchoSettings(), logs);
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>());
        using var host = builder.Build();
        await host.StartWithin();
        var reactor = host.Services.GetRequiredService<ReactorLoop>();
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.CallFromThread(() => throw new InvalidOperationException("boom from user code"));
        reactor.CallFromThread(() => logged.SetResult());
        await logged.Task.WaitAsync(Deadline);
        await host.StopWithin();
        Assert.That(logs.Entries.Any(e => e.Category.StartsWith("Reactor", StringComparison.Ordinal) && e.Level == Microsoft.Extensions.Logging.LogLevel.Error),
            Is.True, "the reactor's error went to the host's logging");
        Assert.That(logs.Has("Reactor.Hosting", "Reactor started"), Is.True);
        var meters = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        Assert.That(reactor.Meter, Is.SameAs(meters.Create(new System.Diagnostics.Metrics.MeterOptions(ReactorInstrumentation.MeterName))),
            "the reactor measures through the host's IMeterFactory");
    }

    [Test]
    public async Task ServicesAddedToTheTreeStartAfterTheListenersAndStopAtShutdown()
    {
        var builder = Builder(EchoSettings());
        var recorder = new RecordingService();
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>()).AddService(_ => recorder);
        using var host = builder.Build();
        await host.StartWithin();
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();
        Assert.That(hosted.Application.Select(s => s.Name ?? s.GetType().Name), Is.EqualTo(new[] { "Echo", nameof(RecordingService) }));
        Assert.That(recorder.Running, Is.True);
        Assert.That(recorder.StartedOnReactorThread, Is.True, "services start on the reactor thread");
        await host.StopWithin();
        Assert.That(recorder.Running, Is.False);
    }

    private sealed class RecordingService : Service
    {
        public bool StartedOnReactorThread { get; private set; }

        public override Deferred<object?> StartService()
        {
            StartedOnReactorThread = Thread.CurrentThread.Name == "Reactor loop";
            return base.StartService();
        }
    }
}
