using System.Net;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Endpoints;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Endpoints;

#region hello
/// <summary>Says hello and hangs up.</summary>
public sealed class Hello : Protocol
{
    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        Transport.Write("hello\n"u8);
        Transport.LoseConnection();
    }
}

/// <summary>Remembers what the server said.</summary>
public sealed class Listener : Protocol
{
    /// <summary>The bytes received, as text.</summary>
    public string Heard { get; private set; } = "";

    /// <summary>Fires when the connection ends.</summary>
    public Deferred<string> Done { get; } = new();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => Heard += System.Text.Encoding.ASCII.GetString(data);

    /// <inheritdoc/>
    public override void ConnectionLost(Reactor.Defer.Failure reason)
    {
        base.ConnectionLost(reason);
        Done.Callback(Heard);
    }
}
#endregion

/// <summary>The endpoints guide's samples: the same program, pointed anywhere by two strings.</summary>
public static class EndpointSamples
{
    #region strings
    /// <summary>
    /// Listens where <paramref name="serverDescription"/> says, then connects to where
    /// <paramref name="clientDescription"/> says (a "{0}" in it becomes the port that was bound).
    /// </summary>
    public static Deferred<string> ListenThenConnect(ReactorLoop reactor, string serverDescription, string clientDescription) =>
        Deferred.EnsureDeferred(async () =>
        {
            var server = EndpointStrings.ServerFromString(reactor, serverDescription);
            var port = await server.Listen(Factory.For<Hello>());
            var bound = port.GetHost() is IPEndPoint ip ? ip.Port.ToString() : "";

            var client = EndpointStrings.ClientFromString(reactor, string.Format(clientDescription, bound));
            var listener = (Listener)await client.Connect(Factory.For<Listener>());
            var heard = await listener.Done;
            await port.StopListening();
            return heard;
        });
    #endregion
}
