using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reactor.Core;

namespace Reactor.Hosting;

/// <summary>Adds a reactor to the .NET Generic Host.</summary>
public static class ReactorServiceCollectionExtensions
{
    /// <summary>
    /// Runs a <see cref="ReactorLoop"/> on a dedicated thread as a hosted service.
    /// <see cref="ReactorOptions"/> and <see cref="ReactorHostOptions"/> are bound from the
    /// configuration section <paramref name="sectionPath"/> and validated when the host starts
    /// (a bad value fails the start with a message naming its key). The reactor logs through the
    /// host's <see cref="ILoggerFactory"/>, measures through its <see cref="System.Diagnostics.Metrics.IMeterFactory"/>,
    /// and leaves SIGINT/SIGTERM to the host. Stopping the host runs the reactor's shutdown
    /// triggers (before-shutdown Deferreds delay it, up to <see cref="HostOptions.ShutdownTimeout"/>);
    /// the reactor stopping stops the host.
    /// </summary>
    /// <remarks>
    /// The <see cref="ReactorLoop"/> is a singleton in the container; it must only be touched on
    /// its thread (or through <c>CallFromThread</c>).
    /// </remarks>
    public static ReactorBuilder AddReactor(this IServiceCollection services, string sectionPath = "Reactor")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(sectionPath);

        services.AddOptions<ReactorOptions>().BindConfiguration(sectionPath).ValidateOnStart();
        services.AddOptions<ReactorHostOptions>().BindConfiguration(sectionPath).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReactorOptions>>(new ReactorOptionsValidator(sectionPath)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReactorHostOptions>>(new ReactorHostOptionsValidator(sectionPath)));
        services.TryAddSingleton(_ => SystemdSockets.FromEnvironment());
        services.TryAddSingleton(CreateReactor);
        services.TryAddSingleton(new ReactorBuilderSection(sectionPath));
        services.TryAddSingleton<ReactorHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<ReactorHostedService>());
        return new ReactorBuilder(services, sectionPath);
    }

    private static ReactorLoop CreateReactor(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<ReactorOptions>>().Value;
        options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
        options.MeterFactory ??= provider.GetService<System.Diagnostics.Metrics.IMeterFactory>();
        // The host owns SIGINT / SIGTERM (its console lifetime); the reactor hears of them as a host stop.
        options.InstallSignalHandlers = false;
        return ReactorLoop.Create(options);
    }
}
