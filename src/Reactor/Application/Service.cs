using Reactor.Defer;

namespace Reactor.Application;

/// <summary>
/// The base service (Twisted's <c>service.Service</c>): keeps its name, parent and running flag.
/// Override <see cref="StartService"/> and <see cref="StopService"/> and call the base first.
/// </summary>
public class Service : IService
{
    /// <inheritdoc/>
    public string? Name { get; private set; }

    /// <inheritdoc/>
    public IServiceParent? Parent { get; private set; }

    /// <inheritdoc/>
    public bool Running { get; private set; }

    /// <inheritdoc/>
    public void SetName(string? name)
    {
        if (Parent is not null) throw new InvalidOperationException($"Cannot rename {this} while it has a parent: the parent finds it by its name.");
        Name = name;
    }

    /// <inheritdoc/>
    public void SetServiceParent(IServiceParent parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (ReferenceEquals(Parent, parent)) return;
        if (Parent is not null) DisownServiceParent();
        Parent = parent;
        try
        {
            parent.AddService(this);
        }
        catch
        {
            Parent = null;
            throw;
        }
    }

    /// <inheritdoc/>
    public Deferred<object?> DisownServiceParent()
    {
        var parent = Parent;
        if (parent is null) return Deferred.Succeed<object?>(null);
        var stopped = parent.RemoveService(this);
        Parent = null;
        return stopped;
    }

    /// <inheritdoc/>
    public virtual void PrivilegedStartService()
    {
    }

    /// <inheritdoc/>
    public virtual Deferred<object?> StartService()
    {
        Running = true;
        return Deferred.Succeed<object?>(null);
    }

    /// <inheritdoc/>
    public virtual Deferred<object?> StopService()
    {
        Running = false;
        return Deferred.Succeed<object?>(null);
    }

    /// <inheritdoc/>
    public override string ToString() => Name is null ? GetType().Name : $"{GetType().Name}({Name})";
}
