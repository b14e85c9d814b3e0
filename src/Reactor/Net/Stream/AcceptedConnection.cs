using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

/// <summary>Wraps an accepted descriptor in a family's connection and starts a protocol on it.</summary>
internal interface ITransportStarter
{
    /// <summary>Wraps <paramref name="fd"/> in the family's connection and starts <paramref name="protocol"/> on it.</summary>
    void StartTransport(int fd, EndPoint peer, IProtocol protocol);
}

/// <summary>
/// Starting one accepted connection, shared by a listening port and by a loop that receives
/// connections another loop accepted (<see cref="ReactorGroup"/>): the factory builds the protocol
/// (it may refuse: the descriptor is closed), then the transport starts; an exception from either is
/// logged and costs that one connection only, never the listener.
/// </summary>
internal static class AcceptedConnection
{
    /// <summary>What became of the connection.</summary>
    internal enum Outcome
    {
        /// <summary>The protocol runs on its transport.</summary>
        Started,

        /// <summary>The factory returned null or threw; the descriptor is closed.</summary>
        Refused,

        /// <summary>The reactor could not take the descriptor (select past FD_SETSIZE, epoll ENOMEM); it is closed.</summary>
        TransportFailed,
    }

    /// <summary>Builds the protocol for <paramref name="peer"/> and starts it on <paramref name="fd"/>; <paramref name="source"/> names the listener in logs.</summary>
    public static Outcome Start<TStarter>(ITransportHost host, ISyscalls syscalls, IProtocolFactory factory, int fd, EndPoint peer,
        object source, TStarter starter) where TStarter : ITransportStarter
    {
        IProtocol? protocol;
        try
        {
            protocol = factory.BuildProtocol(peer);
        }
        catch (Exception ex)
        {
            NetLog.AcceptedBuildProtocolFailed(host.Logger, ex, factory.GetType().FullName, peer, source);
            protocol = null;
        }
        if (protocol is null)
        {
            // The factory refused the connection: close it at once.
            syscalls.Close(fd, out _);
            return Outcome.Refused;
        }
        try
        {
            starter.StartTransport(fd, peer, protocol);
            return Outcome.Started;
        }
        catch (Exception ex)
        {
            // One connection the reactor could not take: the transport closed it; the listener goes on (issue 12).
            NetLog.AcceptedConnectionNotStarted(host.Logger, peer, source, ex.Message);
            return Outcome.TransportFailed;
        }
    }
}
