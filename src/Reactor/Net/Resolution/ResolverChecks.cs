using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Resolution;

/// <summary>Argument checks and answer filtering shared by resolvers.</summary>
internal static class ResolverChecks
{
    public static void Family(AddressFamily family, string paramName = "family")
    {
        if (family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"The address family must be InterNetwork, InterNetworkV6 or Unspecified, not {family}.", paramName);
        }
    }

    public static IReadOnlyList<IPAddress> Filter(IEnumerable<IPAddress> addresses, AddressFamily family) =>
        [.. addresses.Where(a => family == AddressFamily.Unspecified || a.AddressFamily == family)];
}
