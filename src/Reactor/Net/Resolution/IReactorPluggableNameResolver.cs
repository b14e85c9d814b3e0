namespace Reactor.Net.Resolution;

/// <summary>A reactor whose name resolver can be replaced (Twisted's <c>IReactorPluggableNameResolver</c>).</summary>
public interface IReactorPluggableNameResolver
{
    /// <summary>The resolver used by <c>Resolve</c>, <c>HostnameEndpoint</c> and name-based connects.</summary>
    IHostnameResolver NameResolver { get; }

    /// <summary>Replaces <see cref="NameResolver"/> and returns the one it replaces.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is null.</exception>
    IHostnameResolver InstallNameResolver(IHostnameResolver resolver);
}
