using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reactor.Application;
using Reactor.Core;
using Reactor.Net.Endpoints;

namespace Reactor.Hosting;

/// <summary>
/// Runs the container's <see cref="ReactorLoop"/> on a dedicated thread for as long as the host
/// runs, with the service tree (<see cref="Application"/>): one
/// <see cref="StreamServerEndpointService"/> per configured listener, then the services added
/// with <see cref="ReactorBuilder.AddService(Func{IServiceProvider, IService})"/>.
/// </summary>
/// <remarks>
/// <para>
/// Start: the tree is started on the reactor thread once the loop runs; <see cref="StartAsync"/>
/// completes when every listener listens, and fails (failing the host's start) if one cannot.
/// </para>
/// <para>
/// Host stop → reactor: <see cref="StopAsync"/> stops the reactor, so its shutdown triggers run
/// (the tree stops first, as a before-shutdown trigger; any before-shutdown Deferred delays the
/// shutdown) and every connection is closed. If that takes longer than the host allows
/// (<see cref="HostOptions.ShutdownTimeout"/>), the loop is stopped without waiting further.
/// </para>
/// <para>Reactor → host: if the reactor stops on its own (<c>reactor.Stop()</c> from a protocol), the host stops too.</para>
/// </remarks>
public sealed class ReactorHostedService : IHostedService
{
    private readonly IServiceProvider _provider;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IOptions<ReactorHostOptions> _hostOptions;
    private readonly ReactorBuilderSection _section;
    private readonly ILogger _logger;
    // Continuations run on the host's threads, never on the reactor thread.
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReactorLoop? _reactor;
    private Thread? _thread;
    private volatile bool _hostStopping;

    /// <summary>Created by the container (see <see cref="ReactorServiceCollectionExtensions.AddReactor"/>).</summary>
    public ReactorHostedService(IServiceProvider provider, IHostApplicationLifetime lifetime, IOptions<ReactorHostOptions> hostOptions,
        ILoggerFactory loggerFactory)
    {
        _provider = provider;
        _lifetime = lifetime;
        _hostOptions = hostOptions;
        _section = provider.GetService<ReactorBuilderSection>() ?? new ReactorBuilderSection("Reactor");
        _logger = loggerFactory.CreateLogger("Reactor.Hosting");
    }

    /// <summary>The root of the service tree: the listeners, then the added services.</summary>
    public MultiService Application { get; } = new();

    /// <summary>The reactor, once <see cref="StartAsync"/> has run.</summary>
    public ReactorLoop? Reactor => _reactor;

    /// <summary>Completes when the reactor thread has finished (after shutdown).</summary>
    public Task Stopped => _exited.Task;

    /// <summary>The listener named <paramref name="name"/> (a child of <see cref="Application"/>).</summary>
    /// <exception cref="KeyNotFoundException">No listener has that name.</exception>
    public StreamServerEndpointService GetListener(string name) =>
        Application.GetServiceNamed(name) as StreamServerEndpointService ?? throw new KeyNotFoundException($"'{name}' is not a listener.");

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var reactor = _provider.GetRequiredService<ReactorLoop>();
        _reactor = reactor;
        BuildTree(reactor);

        reactor.AddSystemEventTrigger(TriggerPhase.Before, SystemEvent.Shutdown, () => Application.Running ? Application.StopService() : null);
        reactor.CallWhenRunning(() => StartTree(reactor));
        _thread = new Thread(() => RunLoop(reactor)) { Name = "Reactor loop", IsBackground = true };
        _thread.Start();
        try
        {
            await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _hostStopping = true;
            StopReactor(reactor);
            await _exited.Task.ConfigureAwait(false);
            // Report why the start failed rather than the cancellation it may have raced with.
            if (_started.Task.Exception?.InnerException is { } reason) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(reason);
            throw;
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _hostStopping = true;
        var reactor = _reactor;
        if (reactor is null || _thread is null) return;
        StopReactor(reactor);
        try
        {
            await _exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            HostingLog.ShutdownTimedOut(_logger);
            reactor.CallFromThread(reactor.Crash);
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the loop to shut down, unless it already has (or is doing so).</summary>
    private void StopReactor(ReactorLoop reactor)
    {
        if (_exited.Task.IsCompleted) return;
        try
        {
            reactor.Stop(); // from another thread: handed to the loop, which ignores it if already stopping
        }
        catch (Errors.ReactorStateError)
        {
            // The loop finished between the check and the call (a finished thread's id can be reused).
        }
    }

    private void BuildTree(ReactorLoop reactor)
    {
        var registrations = _provider.GetServices<ListenerRegistration>().ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        var listeners = _hostOptions.Value.Listeners;
        var failures = new List<string>();
        foreach (var (name, description) in listeners)
        {
            var key = $"{_section.Path}:{nameof(ReactorHostOptions.Listeners)}:{name}";
            if (!registrations.TryGetValue(name, out var registration))
            {
                failures.Add($"{key} is configured but no factory serves it: call AddReactor().AddListener(\"{name}\", ...).");
                continue;
            }
            IStreamServerEndpoint endpoint;
            try
            {
                endpoint = description.TrimStart().StartsWith("systemd:", StringComparison.OrdinalIgnoreCase)
                    ? SystemdServerEndpoint.Parse(reactor, description, _provider.GetRequiredService<SystemdSockets>())
                    : EndpointStrings.ServerFromString(reactor, description);
            }
            catch (Exception error) when (error is EndpointParseError or ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
            {
                failures.Add($"{key} ('{description}'): {error.Message}");
                continue;
            }
            var service = new StreamServerEndpointService(endpoint, registration.Factory(_provider));
            service.SetName(registration.Name);
            service.SetServiceParent(Application);
        }
        foreach (var name in registrations.Keys)
        {
            if (!listeners.ContainsKey(name))
            {
                failures.Add($"{_section.Path}:{nameof(ReactorHostOptions.Listeners)}:{name} is not set: the listener '{name}' needs a server endpoint string such as tcp:8000:interface=127.0.0.1.");
            }
        }
        if (failures.Count > 0) throw new OptionsValidationException(nameof(ReactorHostOptions), typeof(ReactorHostOptions), failures);
        foreach (var registration in _provider.GetServices<ServiceRegistration>()) registration.Create(_provider).SetServiceParent(Application);
    }

    private void StartTree(ReactorLoop reactor)
    {
        Application.PrivilegedStartService();
        Application.StartService().AddCallbacks<object?>(
            _ =>
            {
                var listening = Application.OfType<StreamServerEndpointService>().Select(s => $"{s.Name}={s.Port?.GetHost()}");
                HostingLog.Started(_logger, reactor.SelectorKind.ToString(), string.Join(", ", listening));
                _started.TrySetResult();
                return null;
            },
            failure =>
            {
                HostingLog.StartFailed(_logger, failure.Value);
                // The host learns of it from StartAsync's exception; stopping the application as
                // well would cancel that start and hide the reason.
                _hostStopping = true;
                _started.TrySetException(failure.Value);
                StopReactor(reactor);
                return null;
            });
    }

    private void RunLoop(ReactorLoop reactor)
    {
        try
        {
            reactor.Run();
        }
        catch (Exception error)
        {
            HostingLog.LoopFailed(_logger, error);
            _started.TrySetException(error);
        }
        finally
        {
            _started.TrySetException(new InvalidOperationException("The reactor stopped before it had started."));
            _exited.TrySetResult();
            if (!_hostStopping)
            {
                HostingLog.StoppedOnItsOwn(_logger);
                _lifetime.StopApplication();
            }
        }
    }
}

/// <summary>The configuration section AddReactor bound, for messages that name keys.</summary>
internal sealed record ReactorBuilderSection(string Path);
