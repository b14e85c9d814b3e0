using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Tls;

#region greeter
/// <summary>Says which TLS version it speaks once the handshake is done, then hangs up.</summary>
public sealed class TlsGreeter : Protocol, IHandshakeListener
{
    /// <inheritdoc/>
    public void HandshakeCompleted()
    {
        var tls = (ITlsTransport)Transport; // what the handshake settled
        Transport.Write(Encoding.ASCII.GetBytes($"hello over {tls.ProtocolVersion}\n"));
        Transport.LoseConnection(); // sends close_notify after the greeting
    }
}
#endregion

#region reader
/// <summary>A client that collects everything the server sends and reports it when the connection ends.</summary>
public sealed class ReadAll(Action<string, Failure> done) : Protocol
{
    private readonly StringBuilder _text = new();

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _text.Append(Encoding.UTF8.GetString(data));

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        done(_text.ToString(), reason);
    }
}
#endregion

/// <summary>The TLS guide's server and client.</summary>
public static class TlsSamples
{
    #region certificate
    /// <summary>A self-signed certificate for localhost, for development; production loads one (TlsServerOptions.FromPemFiles).</summary>
    public static X509Certificate2 DevelopmentCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
    #endregion

    /// <summary>Listens with TLS on a free loopback port.</summary>
    public static IListeningPort Listen(ReactorLoop reactor, X509Certificate2 certificate)
    {
        #region listen
        var options = new TlsServerOptions(certificate); // TLS 1.2 and 1.3 by default
        var port = reactor.ListenSsl(0, Factory.For<TlsGreeter>(), options, @interface: "127.0.0.1");
        #endregion
        return port;
    }

    /// <summary>Connects with TLS, accepting exactly the certificate given (pinning).</summary>
    public static IConnector Connect(ReactorLoop reactor, int port, X509Certificate2 expected, Action<string, Failure> done)
    {
        #region connect
        var options = new TlsClientOptions
        {
            ServerName = "localhost", // checked against the certificate, and sent as SNI
            // A self-signed certificate has no chain to a trusted root: pin it instead.
            CertificateValidator = (certificate, _, _) => certificate?.Thumbprint == expected.Thumbprint,
        };
        var connector = reactor.ConnectSsl("127.0.0.1", port, new ClientFactory(() => new ReadAll(done)), options);
        #endregion
        return connector;
    }
}
