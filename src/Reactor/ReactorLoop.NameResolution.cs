using System.Net;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Resolution;

namespace Reactor;

public sealed partial class ReactorLoop : IReactorPluggableNameResolver
{
    private IHostnameResolver? _nameResolver;

    /// <inheritdoc/>
    /// <remarks>Defaults to a <see cref="SystemHostnameResolver"/> delivering on this reactor.</remarks>
    public IHostnameResolver NameResolver => _nameResolver ??= new SystemHostnameResolver(this, Logger);

    /// <inheritdoc/>
    public IHostnameResolver InstallNameResolver(IHostnameResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var previous = NameResolver;
        _nameResolver = resolver;
        return previous;
    }

    /// <summary>
    /// Resolves <paramref name="name"/> to one address without blocking the loop (Twisted's
    /// <c>reactor.resolve</c>; see <see cref="HostnameResolverExtensions.ResolveAddress"/>): an empty
    /// name is 0.0.0.0, a literal is itself, otherwise the <see cref="NameResolver"/>'s first answer.
    /// </summary>
    /// <param name="name">The host name.</param>
    /// <param name="timeout">How long to wait; null for 60 s.</param>
    /// <returns>A Deferred firing on the reactor thread, or failing with <see cref="DnsLookupError"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive.</exception>
    public Deferred<IPAddress> Resolve(string name, TimeSpan? timeout = null) => NameResolver.ResolveAddress(name, this, timeout);

    /// <summary>
    /// As <see cref="Resolve(string, TimeSpan?)"/>; cancelling <paramref name="cancellationToken"/>
    /// cancels the Deferred (it fails with <see cref="CancelledError"/> and the lookup is abandoned).
    /// </summary>
    public Deferred<IPAddress> Resolve(string name, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        Resolve(name, timeout).WithCancellation(cancellationToken);
}
