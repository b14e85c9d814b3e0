using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;
using Reactor.Testing;
using Reactor.Web.Client;
using Reactor.Web.Http;
using Reactor.Web.Tests.Corpus;
using Reactor.Web.Tests.Infrastructure;

namespace Reactor.Web.Tests.Client;

/// <summary>A response body protocol that throws: logged to the agent's reactor's logger (issue 18), and the response fails.</summary>
public sealed class BodyProtocolFailureTests
{
    private sealed class ThrowingReader : Protocol
    {
        public Failure? End;

        public override void DataReceived(ReadOnlySpan<byte> data) => throw new FormatException("body reader broke");

        public override void ConnectionLost(Failure reason) => End = reason;
    }

    [Test]
    public void AThrowingBodyProtocolIsLoggedToTheReactorsLogger()
    {
        var logger = new ErrorCountingLogger();
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = logger, InstallSignalHandlers = false });
        var connection = ClientConnections.Create(reactor);
        var transport = new StringTransport();
        connection.MakeConnection(transport);
        var result = new Deferred<Response>();
        connection.Send("GET", new Uri("http://example.com/"), new Headers(), null, result);
        connection.DataReceived("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"u8);
        var reader = new ThrowingReader();
        result.AddCallback(r =>
        {
            r.DeliverBody(reader);
            return r;
        });

        connection.DataReceived("abcde"u8);

        Assert.That(logger.Errors, Is.EqualTo(1), string.Join("\n", logger.Messages));
        Assert.That(logger.Messages[0], Does.Contain("body reader broke"));
        Assert.That(reader.End?.Value, Is.InstanceOf<ResponseFailed>());
    }
}
