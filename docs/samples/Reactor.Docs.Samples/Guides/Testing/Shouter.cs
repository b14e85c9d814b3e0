using System.Text;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Net.Unix;
using Reactor.Protocols;
using Reactor.Protocols.Basic;
using Reactor.Protocols.Policies;
using Reactor.Time;

namespace Reactor.Docs.Samples.Guides.Testing;

#region protocol
/// <summary>
/// Answers each line in capitals and hangs up on a client that stays silent for 30 seconds. The
/// clock is passed in, so a test can drive time with a <see cref="Clock"/>.
/// </summary>
public sealed class Shouter(IReactorTime clock) : LineReceiver
{
    private IdleTimeout? _idle;

    /// <summary>How long a client may stay silent.</summary>
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        _idle = new IdleTimeout(clock, Transport.LoseConnection);
        _idle.SetTimeout(IdleLimit);
    }

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        _idle?.ResetTimeout();
        SendLine(Encoding.UTF8.GetString(line).ToUpperInvariant());
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        _idle?.Dispose();
    }
}
#endregion

#region server
/// <summary>The program's set-up code: what a <c>MemoryReactor</c> test checks without opening a port.</summary>
public static class ShoutServer
{
    /// <summary>Listens on <paramref name="port"/> on every interface.</summary>
    public static IListeningPort Listen<TReactor>(TReactor reactor, int port)
        where TReactor : IReactorTcp, IReactorTime =>
        reactor.ListenTcp(port, Factory.ForProtocol(() => new Shouter(reactor)));
}
#endregion

#region client
/// <summary>The program's client side: asks a shouter one question and keeps the answer.</summary>
public sealed class Asker(string question) : LineReceiver
{
    /// <summary>Fires with the shouted answer, or fails when the connection does.</summary>
    public Deferred<string> Answer { get; } = new();

    /// <inheritdoc/>
    public override void ConnectionMade() => SendLine(question);

    /// <inheritdoc/>
    public override void LineReceived(ReadOnlySpan<byte> line)
    {
        Transport.LoseConnection();
        Answer.Callback(Encoding.UTF8.GetString(line));
    }

    /// <summary>
    /// Connects to the shouter at <paramref name="description"/> ("unix:/run/shout.sock",
    /// "tcp:host:port", "ssl:host:port") and asks <paramref name="question"/>.
    /// </summary>
    public static Asker Ask<TReactor>(TReactor reactor, string description, string question)
        where TReactor : class, IReactorTcp, IReactorUnix
    {
        var asker = new Asker(question);
        EndpointStrings.ClientFromString(reactor, description).ConnectProtocol(asker)
            .AddErrback(failure => asker.Answer.Errback(failure));
        return asker;
    }
}
#endregion
