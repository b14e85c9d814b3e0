using System.Net.Sockets;
using System.Net;
using Reactor.Defer;
using Reactor.Errors;

namespace Reactor.Net.Resolution;

/// <summary>
/// Turns a host name into addresses without blocking the reactor (Twisted's <c>IHostnameResolver</c>,
/// with a Deferred of the whole answer instead of a receiver called per address).
/// </summary>
/// <remarks>Threading: called on the reactor thread; the Deferred fires on the reactor thread.</remarks>
public interface IHostnameResolver
{
    /// <summary>Resolves <paramref name="hostName"/>.</summary>
    /// <param name="hostName">A host name, or an IP literal (answered as itself).</param>
    /// <param name="family">
    /// <see cref="AddressFamily.InterNetwork"/> for A records, <see cref="AddressFamily.InterNetworkV6"/>
    /// for AAAA, <see cref="AddressFamily.Unspecified"/> for both.
    /// </param>
    /// <returns>
    /// A Deferred firing with the addresses in the resolver's order of preference (possibly none), or
    /// failing with <see cref="DnsLookupError"/>. Cancelling it abandons the lookup.
    /// </returns>
    Deferred<IReadOnlyList<IPAddress>> ResolveHostName(string hostName, AddressFamily family = AddressFamily.Unspecified);
}
