using System.Net;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Net;

/// <summary>Listening for and making TCP connections (Twisted's <c>IReactorTCP</c>).</summary>
public interface IReactorTcp
{
    /// <summary>The backlog <see cref="ListenTcp"/> uses when none is given.</summary>
    const int DefaultBacklog = 1024;

    /// <summary>
    /// Listens on <paramref name="port"/> of <paramref name="interface"/>; each accepted connection
    /// gets a protocol from <paramref name="factory"/>. The factory's <c>DoStart</c> runs now.
    /// </summary>
    /// <param name="port">The port; 0 lets the OS pick a free one (read it back with <see cref="IListeningPort.GetHost"/>).</param>
    /// <param name="factory">Builds a protocol for each connection; a null protocol refuses the connection.</param>
    /// <param name="backlog">The length of the kernel's queue of connections not yet accepted.</param>
    /// <param name="interface">
    /// The address to bind: an IPv4 or IPv6 literal (<c>"::"</c> for every IPv6 interface). Null or
    /// empty binds every IPv4 interface (0.0.0.0), as Twisted's default.
    /// </param>
    /// <exception cref="CannotListenError">The address could not be bound.</exception>
    /// <exception cref="ArgumentException">The port, backlog or interface is invalid.</exception>
    IListeningPort ListenTcp(int port, IProtocolFactory factory, int backlog = DefaultBacklog, string? @interface = null);

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/>. The factory is told that the
    /// attempt started, then either builds a protocol for the connection or hears why it failed:
    /// <see cref="ConnectionRefusedError"/>, <see cref="TimeoutError"/>, <see cref="DnsLookupError"/>,
    /// <see cref="UserError"/> (stopped), or another <see cref="ConnectError"/>.
    /// </summary>
    /// <param name="host">An IP literal, or a name resolved without blocking the reactor.</param>
    /// <param name="port">The destination port (1-65535).</param>
    /// <param name="factory">Builds the protocol and hears about the attempt.</param>
    /// <param name="timeout">How long the attempt (resolution included) may take; null for 30 s.</param>
    /// <param name="bindAddress">The local address to bind before connecting, if any.</param>
    /// <exception cref="ArgumentException">The host or port is invalid.</exception>
    IConnector ConnectTcp(string host, int port, ClientFactory factory, TimeSpan? timeout = null, IPEndPoint? bindAddress = null);
}
