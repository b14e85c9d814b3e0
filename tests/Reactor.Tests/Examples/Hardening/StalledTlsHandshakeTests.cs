using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Reactor.Tests.Net;
using Reactor.Tests.Net.Hardening;

namespace Reactor.Tests.Examples.Hardening;

/// <summary>
/// Issue 12's third reproduction, against the built example: 50 clients open a TCP connection to
/// <c>TlsEcho</c> and send a TLS record header whose body never comes. Before the handshake timeout
/// none was ever dropped; now each is dropped after <c>--handshake-timeout</c> while normal TLS
/// clients are served.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class StalledTlsHandshakeTests
{
    private const int Stalled = 50;

    [Test]
    public void FiftyStalledHandshakesAreDroppedWhileNormalTlsClientsAreServed()
    {
        // 3 s: long enough for a warm handshake on a loaded machine, short enough to keep the test quick.
        using var echo = ExampleProcess.Start("TlsEcho", "--port", "0", "--handshake-timeout", "3");
        // The first handshake pays for the child's JIT: done before the stalled clients' clock starts.
        using var first = TlsClient(echo.Port);
        Assert.That(RoundTrip(first, "first"), Is.EqualTo("first"));

        var stalled = new List<Socket>();
        try
        {
            for (var i = 0; i < Stalled; i++)
            {
                var client = ChildProcessStats.Connect(echo.Port);
                client.Send(TlsHandshakeTimeoutTests.StalledRecordHeader);
                stalled.Add(client);
            }
            // While they stall, a new client completes its handshake and is echoed, and so is the first.
            using (var second = TlsClient(echo.Port))
            {
                Assert.That(RoundTrip(second, "second"), Is.EqualTo("second"));
            }
            Assert.That(RoundTrip(first, "still"), Is.EqualTo("still"));

            // Each stalled client is closed by the server (EOF or RST; an alert before it is allowed).
            var dropped = stalled.Count(ChildProcessStats.ClosedByPeer);
            Assert.That(dropped, Is.EqualTo(Stalled), "every stalled handshake was dropped");
            Assert.That(RoundTrip(first, "after"), Is.EqualTo("after"), "the established client is unaffected");
        }
        finally
        {
            foreach (var client in stalled) client.Dispose();
        }
    }

    private static SslStream TlsClient(int port)
    {
        var socket = ChildProcessStats.Connect(port);
        // TlsEcho's certificate is a throw-away self-signed one: this client pins nothing and trusts it.
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        tls.AuthenticateAsClient("localhost");
        return tls;
    }

    private static string RoundTrip(SslStream tls, string text)
    {
        tls.Write(Encoding.ASCII.GetBytes(text));
        var buffer = new byte[text.Length];
        var got = 0;
        while (got < buffer.Length)
        {
            var n = tls.Read(buffer, got, buffer.Length - got);
            if (n == 0) break;
            got += n;
        }
        return Encoding.ASCII.GetString(buffer, 0, got);
    }
}
