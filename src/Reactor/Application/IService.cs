using Reactor.Defer;

namespace Reactor.Application;

/// <summary>
/// A part of a program that can be started and stopped (Twisted's <c>IService</c>): a listener,
/// a client that keeps reconnecting, a periodic job. Services form a tree under
/// <see cref="IServiceParent"/>s such as <see cref="MultiService"/>, which start their children
/// in order and stop them in reverse.
/// </summary>
/// <remarks>
/// A service runs on its reactor's thread: start and stop it there (the hosted service of
/// Reactor.Hosting does). The tree works the same inside the .NET Generic Host and on its own.
/// </remarks>
public interface IService
{
    /// <summary>The name its parent knows it by, or null (an unnamed child).</summary>
    string? Name { get; }

    /// <summary>The parent it was added to, or null.</summary>
    IServiceParent? Parent { get; }

    /// <summary>True from <see cref="StartService"/> until <see cref="StopService"/>.</summary>
    bool Running { get; }

    /// <summary>Names the service (Twisted's <c>setName</c>).</summary>
    /// <exception cref="InvalidOperationException">The service already has a parent: its name is how the parent finds it.</exception>
    void SetName(string? name);

    /// <summary>Adds the service to <paramref name="parent"/>, leaving a previous parent first (Twisted's <c>setServiceParent</c>).</summary>
    /// <exception cref="ArgumentException">The parent already has a child of the same name.</exception>
    void SetServiceParent(IServiceParent parent);

    /// <summary>Leaves the parent; a running parent stops the service first (Twisted's <c>disownServiceParent</c>).</summary>
    /// <returns>Fires when the service has stopped (at once if it was not running).</returns>
    Deferred<object?> DisownServiceParent();

    /// <summary>
    /// Work that needs the privileges the process starts with (binding a low port before they are
    /// dropped), run before <see cref="StartService"/> (Twisted's <c>privilegedStartService</c>).
    /// </summary>
    void PrivilegedStartService();

    /// <summary>Starts the service.</summary>
    /// <returns>Fires when it has started (a listener: when it listens), or fails with the reason it could not.</returns>
    Deferred<object?> StartService();

    /// <summary>Stops the service.</summary>
    /// <returns>Fires when it has stopped (a listener: when it no longer listens).</returns>
    Deferred<object?> StopService();
}

/// <summary>A service that holds other services (Twisted's <c>IServiceCollection</c>).</summary>
public interface IServiceParent : IEnumerable<IService>
{
    /// <summary>The child named <paramref name="name"/> (Twisted's <c>getServiceNamed</c>).</summary>
    /// <exception cref="KeyNotFoundException">No child has that name.</exception>
    IService GetServiceNamed(string name);

    /// <summary>Adds a child; a running parent starts it at once. Called by <see cref="IService.SetServiceParent"/>.</summary>
    /// <returns>Fires when a started child has started (at once if the parent is not running).</returns>
    /// <exception cref="ArgumentException">Another child has the same name.</exception>
    Deferred<object?> AddService(IService service);

    /// <summary>Removes a child; a running parent stops it. Called by <see cref="IService.DisownServiceParent"/>.</summary>
    /// <returns>Fires when the child has stopped (at once if the parent is not running).</returns>
    Deferred<object?> RemoveService(IService service);
}
