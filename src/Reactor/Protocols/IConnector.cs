using System.Net;
using Reactor.Errors;

namespace Reactor.Protocols;

/// <summary>An outgoing connection attempt and the connection it makes (Twisted's <c>IConnector</c>).</summary>
public interface IConnector
{
    /// <summary>Starts (or, after a failure or loss, restarts) the connection attempt.</summary>
    void Connect();

    /// <summary>Abandons an attempt still in progress; the factory sees <see cref="UserError"/>.</summary>
    /// <exception cref="InvalidOperationException">Not connecting.</exception>
    void StopConnecting();

    /// <summary>Closes the connection if connected, or stops connecting if still trying.</summary>
    void Disconnect();

    /// <summary>The address this connector connects to.</summary>
    EndPoint GetDestination();
}
