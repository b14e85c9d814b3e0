using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Reactor.Application;
using Reactor.Protocols;

namespace Reactor.Hosting;

/// <summary>
/// Returned by <see cref="ReactorServiceCollectionExtensions.AddReactor"/>: binds listeners
/// declared in configuration to factories from DI and adds services to the reactor's tree.
/// </summary>
public sealed class ReactorBuilder
{
    internal ReactorBuilder(IServiceCollection services, string sectionPath)
    {
        Services = services;
        SectionPath = sectionPath;
    }

    /// <summary>The service collection the reactor was added to.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration section the options are bound from (<c>"Reactor"</c> unless given).</summary>
    public string SectionPath { get; }

    /// <summary>
    /// Serves the listener <paramref name="name"/>: its endpoint string comes from configuration
    /// (<c>Reactor:Listeners:NAME</c>), each connection's protocol from the factory
    /// <paramref name="factory"/> returns (called once, on the reactor thread, at start).
    /// </summary>
    /// <exception cref="ArgumentException">A listener of that name was already added.</exception>
    public ReactorBuilder AddListener(string name, Func<IServiceProvider, IProtocolFactory> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        foreach (var existing in Services)
        {
            if (existing.ServiceType == typeof(ListenerRegistration) && existing.ImplementationInstance is ListenerRegistration r
                && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"A listener named '{name}' was already added.", nameof(name));
            }
        }
        Services.AddSingleton(new ListenerRegistration(name, factory));
        return this;
    }

    /// <summary>As <see cref="AddListener(string, Func{IServiceProvider, IProtocolFactory})"/>, the factory made by DI (its constructor's parameters are services).</summary>
    public ReactorBuilder AddListener<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TFactory>(string name) where TFactory : class, IProtocolFactory =>
        AddListener(name, provider => ActivatorUtilities.GetServiceOrCreateInstance<TFactory>(provider));

    /// <summary>
    /// Adds a service to the reactor's service tree: it starts (on the reactor thread) once the
    /// reactor runs, after the listeners, and stops before the reactor shuts down.
    /// </summary>
    public ReactorBuilder AddService(Func<IServiceProvider, IService> service)
    {
        ArgumentNullException.ThrowIfNull(service);
        Services.AddSingleton(new ServiceRegistration(service));
        return this;
    }

    /// <summary>As <see cref="AddService(Func{IServiceProvider, IService})"/>, the service made by DI.</summary>
    public ReactorBuilder AddService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>() where TService : class, IService =>
        AddService(provider => ActivatorUtilities.GetServiceOrCreateInstance<TService>(provider));
}

/// <summary>A listener's name and where its factory comes from.</summary>
internal sealed record ListenerRegistration(string Name, Func<IServiceProvider, IProtocolFactory> Factory);

/// <summary>A service to add to the tree.</summary>
internal sealed record ServiceRegistration(Func<IServiceProvider, IService> Create);
