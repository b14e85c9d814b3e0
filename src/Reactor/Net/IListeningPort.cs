using System.Net;
using Reactor.Defer;

namespace Reactor.Net;

/// <summary>A socket accepting connections (Twisted's <c>IListeningPort</c>).</summary>
/// <remarks>
/// The stream ports the reactor returns (TCP, UNIX, adopted) are also <see cref="Protocols.IPushProducer"/>,
/// as Twisted's ports are: <c>PauseProducing</c> stops accepting (new clients wait in the kernel's
/// backlog) and <c>ResumeProducing</c> accepts again; a server caps its connections this way.
/// </remarks>
public interface IListeningPort
{
    /// <summary>
    /// Stops accepting and closes the listening socket. Connections already accepted are not
    /// touched. The result fires (with null) once the socket is closed and the factory's
    /// <c>DoStop</c> has run; calling it again returns an already-fired Deferred.
    /// </summary>
    Deferred<object?> StopListening();

    /// <summary>The address the socket is bound to; with port 0 requested, the port the OS chose.</summary>
    EndPoint GetHost();
}
