using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reactor.Application;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Hosting;
using Reactor.Protocols;
using static Reactor.Tests.Hosting.HostingTestKit;

namespace Reactor.Tests.Hosting;

/// <summary>IHostApplicationLifetime both ways: host stop → reactor shutdown (triggers, Deferreds, timeout); reactor stop → host stop.</summary>
[TestFixture]
[NonParallelizable]
public class LifetimeTests
{
    /// <summary>A service whose stop waits for a Deferred the test fires.</summary>
    private sealed class SlowToStop : Service
    {
        public Deferred<object?> Release { get; } = new();

        public TaskCompletionSource Stopping { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Deferred<object?> StopService()
        {
            base.StopService();
            Stopping.TrySetResult();
            return Release;
        }
    }

    private static IHost Build(Service service, TimeSpan? shutdownTimeout = null, CapturingLoggerProvider? logs = null)
    {
        var builder = Builder(new Dictionary<string, string?> { ["Reactor:Listeners:Echo"] = "tcp:0:interface=127.0.0.1" }, logs);
        if (shutdownTimeout is { } timeout) builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = timeout);
        builder.Services.AddReactor().AddListener("Echo", _ => Factory.For<Echo>()).AddService(_ => service);
        return builder.Build();
    }

    [Test]
    public async Task StoppingTheHostRunsTheShutdownTriggersAndWaitsForBeforeShutdownDeferreds()
    {
        var service = new SlowToStop();
        using var host = Build(service);
        await host.StartWithin();
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();
        var reactor = hosted.Reactor!;
        var address = hosted.GetListener("Echo").Port!.GetHost();
        var phases = new List<string>();
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reactor.CallFromThread(() =>
        {
            reactor.AddSystemEventTrigger(TriggerPhase.During, SystemEvent.Shutdown, () => phases.Add("during"));
            reactor.AddSystemEventTrigger(TriggerPhase.After, SystemEvent.Shutdown, () => phases.Add("after"));
            registered.SetResult();
        });
        await registered.Task.WaitAsync(Deadline);

        var stopping = host.StopAsync();
        await service.Stopping.Task.WaitAsync(Deadline);
        Assert.That(stopping.IsCompleted, Is.False, "the host waits for the service's stop Deferred");
        Assert.That(phases, Is.Empty, "during- and after-shutdown wait for the before-shutdown Deferred");

        reactor.CallFromThread(() => service.Release.Callback(null));
        await stopping.WaitAsync(Deadline);
        await hosted.Stopped.WaitAsync(Deadline);
        Assert.That(phases, Is.EqualTo(new[] { "during", "after" }));
        Assert.That(() => EchoThrough(address, "x"), Throws.InstanceOf<System.Net.Sockets.SocketException>(), "the listener is closed");
    }

    [Test]
    public async Task AShutdownThatOutlastsTheHostsTimeoutIsCutShort()
    {
        var service = new SlowToStop(); // never released
        var logs = new CapturingLoggerProvider();
        using var host = Build(service, TimeSpan.FromMilliseconds(200), logs);
        await host.StartWithin();
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();

        await host.StopWithin();
        await hosted.Stopped.WaitAsync(Deadline);
        Assert.That(logs.Has("Reactor.Hosting", "did not finish within the host's shutdown timeout"), Is.True);
        Assert.That(hosted.Reactor!.Running, Is.False);
    }

    [Test]
    public async Task TheReactorStoppingStopsTheHost()
    {
        using var host = Build(new Service());
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var hostStopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => hostStopping.TrySetResult());
        await host.StartWithin();
        var hosted = host.Services.GetRequiredService<ReactorHostedService>();

        hosted.Reactor!.CallFromThread(hosted.Reactor.Stop); // a protocol deciding the program is done
        await hostStopping.Task.WaitAsync(Deadline);
        await hosted.Stopped.WaitAsync(Deadline);
        await host.WaitForShutdownAsync().WaitAsync(Deadline);
        Assert.That(hosted.Application.Running, Is.False, "the service tree stopped with the reactor");
    }
}
