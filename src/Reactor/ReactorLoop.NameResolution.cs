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

    /// <summary>
    /// The name of <paramref name="address"/> (Python's <c>socket.gethostbyaddr</c>): the OS's
    /// reverse lookup (/etc/hosts, then PTR records through the system's DNS settings) runs on the
    /// thread pool, never on the loop, and the Deferred fires on the reactor thread with an
    /// <see cref="IPHostEntry"/> — <c>HostName</c>, <c>Aliases</c> and <c>AddressList</c>, the
    /// triple <c>gethostbyaddr</c> returns. The installed <see cref="NameResolver"/> is not involved:
    /// it only resolves names to addresses.
    /// </summary>
    /// <param name="address">The address to name.</param>
    /// <param name="timeout">How long to wait; null for 60 s (<see cref="HostnameResolverExtensions.DefaultTimeout"/>).</param>
    /// <returns>
    /// A Deferred failing with <see cref="DnsLookupError"/> when the address has no name or the
    /// timeout passes first; cancelling it abandons the lookup.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not positive.</exception>
    /// <exception cref="InvalidOperationException">Called from another thread while the reactor runs (use <c>CallFromThread</c>).</exception>
    public Deferred<IPHostEntry> GetHostByAddress(IPAddress address, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var wait = timeout ?? HostnameResolverExtensions.DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        ThrowIfDisposed();
        CheckReactorThread(nameof(GetHostByAddress));
        return ReverseLookup.Start(address, this, this, Logger, wait);
    }

    /// <summary>
    /// As <see cref="GetHostByAddress(IPAddress, TimeSpan?)"/>; cancelling <paramref name="cancellationToken"/>
    /// cancels the Deferred (it fails with <see cref="CancelledError"/> and the lookup is abandoned).
    /// </summary>
    public Deferred<IPHostEntry> GetHostByAddress(IPAddress address, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        GetHostByAddress(address, timeout).WithCancellation(cancellationToken);
}
