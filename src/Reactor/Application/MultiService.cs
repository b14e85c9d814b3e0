using System.Collections;
using Reactor.Defer;

namespace Reactor.Application;

/// <summary>
/// A service made of services (Twisted's <c>MultiService</c>): children start in the order they
/// were added and stop in reverse; named children can be looked up.
/// </summary>
/// <remarks>
/// <see cref="StartService"/> fires when every child has started, or fails with the first
/// child's failure (its own exception) once all have answered; <see cref="StopService"/> fires when every child has
/// stopped (a child's failure to stop fails it, after all have answered). A child added while the
/// parent runs is started at once; one removed is stopped.
/// </remarks>
public class MultiService : Service, IServiceParent
{
    private readonly List<IService> _services = new();
    private readonly Dictionary<string, IService> _named = new(StringComparer.Ordinal);

    /// <summary>How many children there are.</summary>
    public int Count => _services.Count;

    /// <inheritdoc/>
    public override void PrivilegedStartService()
    {
        base.PrivilegedStartService();
        foreach (var service in _services.ToArray()) service.PrivilegedStartService();
    }

    /// <inheritdoc/>
    public override Deferred<object?> StartService()
    {
        base.StartService();
        return All(_services.ToArray().Select(StartChild));
    }

    /// <inheritdoc/>
    public override Deferred<object?> StopService()
    {
        base.StopService();
        var children = _services.ToArray();
        Array.Reverse(children);
        return All(children.Select(StopChild));
    }

    /// <inheritdoc/>
    public IService GetServiceNamed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _named.TryGetValue(name, out var service)
            ? service
            : throw new KeyNotFoundException($"{this} has no service named '{name}'.");
    }

    /// <inheritdoc/>
    public Deferred<object?> AddService(IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (_services.Contains(service)) return Deferred.Succeed<object?>(null);
        if (service.Name is { } name)
        {
            if (_named.ContainsKey(name)) throw new ArgumentException($"{this} already has a service named '{name}'.", nameof(service));
            _named.Add(name, service);
        }
        _services.Add(service);
        if (!Running) return Deferred.Succeed<object?>(null);
        // Twisted: a child added to a running parent is started at once, privileged part first.
        service.PrivilegedStartService();
        return StartChild(service);
    }

    /// <inheritdoc/>
    public Deferred<object?> RemoveService(IService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!_services.Remove(service)) return Deferred.Succeed<object?>(null);
        if (service.Name is { } name) _named.Remove(name);
        return Running ? StopChild(service) : Deferred.Succeed<object?>(null);
    }

    /// <inheritdoc/>
    public IEnumerator<IService> GetEnumerator() => _services.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static Deferred<object?> StartChild(IService service) => Deferred.MaybeDeferred(service.StartService);

    private static Deferred<object?> StopChild(IService service) => Deferred.MaybeDeferred(service.StopService);

    /// <summary>Fires when every Deferred has fired: with null, or with the first failure.</summary>
    private static Deferred<object?> All(IEnumerable<Deferred<object?>> deferreds)
    {
        var all = new DeferredList<object?>(deferreds.ToArray(), consumeErrors: true);
        return all.AddCallback<object?>(outcomes =>
        {
            foreach (var outcome in outcomes)
            {
                if (!outcome.Succeeded) outcome.Failure!.Rethrow();
            }
            return null;
        });
    }
}
