using System.Net;
using System.Net.Sockets;
using Reactor.Defer;

namespace Reactor.Net.Endpoints.Internal;

/// <summary>Argument checks and the listen-to-Deferred step the endpoint classes share.</summary>
internal static class TcpEndpointChecks
{
    public static void Port(int port, bool allowZero, string paramName = "port")
    {
        if (port < (allowZero ? 0 : 1) || port > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(paramName, port, $"The port must be from {(allowZero ? 0 : 1)} to {IPEndPoint.MaxPort}.");
        }
    }

    public static IPAddress Family(IPAddress address, AddressFamily family, string paramName)
    {
        if (address.AddressFamily != family)
        {
            var want = family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
            throw new ArgumentException($"{address} is not an {want} address.", paramName);
        }
        return address;
    }

    public static TimeSpan Timeout(TimeSpan timeout, string paramName = "timeout")
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(paramName, timeout, "The timeout must be positive.");
        }
        return timeout;
    }

    /// <summary>Runs a synchronous listen and reports its outcome as a Deferred (Twisted's <c>defer.execute</c>).</summary>
    public static Deferred<IListeningPort> Execute(Func<IListeningPort> listen)
    {
        try
        {
            return Deferred.Succeed(listen());
        }
        catch (Exception e)
        {
            return Deferred.Fail<IListeningPort>(e);
        }
    }
}
