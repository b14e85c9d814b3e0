using System.Net.Sockets;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Reactor.Core;
using Reactor.Net.Endpoints.Internal;
using Reactor.Net.Tls;
using Reactor.Time;

namespace Reactor.Net.Endpoints;

public static partial class EndpointStrings
{
    private static readonly string[] SslServerPositional = ["port"];
    private static readonly string[] SslServerKeywords = ["privateKey", "certKey", "extraCertChain", "interface", "backlog"];
    private static readonly string[] SslClientPositional = ["host", "port"];
    private static readonly string[] SslClientKeywords = ["timeout", "bindAddress", "hostname", "caCertsDir", "certKey", "privateKey"];
    private static readonly string[] TlsClientPositional = ["host", "port"];
    private static readonly string[] TlsClientKeywords = ["timeout", "bindAddress", "certificate", "privateKey", "trustRoots", "endpoint"];

    // Twisted's _parseSSL: privateKey defaults to server.pem; certKey defaults to the privateKey file
    // (one PEM holding both). Certificates are loaded now, so a bad path fails at parse time.
    private static Ssl4ServerEndpoint ParseSslServer(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, SslServerPositional, SslServerKeywords);
        var port = args.Port();
        var backlog = args.Integer("backlog", IReactorTcp.DefaultBacklog, 1, int.MaxValue, "a backlog");
        var @interface = args.Address("interface", AddressFamily.Unspecified, whenEmpty: IPAddress.Any, fallback: IPAddress.Any);
        var ssl = Require<IReactorSsl>(reactor, description);
        var keyPath = args.Optional("privateKey", "server.pem")!;
        var certPath = args.Optional("certKey") ?? keyPath;
        var options = args.Load(args.Has("certKey") ? "certKey" : "privateKey", "the server certificate and key",
            () => TlsServerOptions.FromPemFiles(certPath, keyPath));
        if (args.Optional("extraCertChain") is { } chainPath)
        {
            var chain = args.Load("extraCertChain", "the certificate chain", () => LoadPemCertificates(chainPath));
            if (chain.Count == 0) throw args.Error("extraCertChain", $"\"{chainPath}\" holds no PEM certificate.");
            if (options.Intermediates is not null) chain.AddRange(options.Intermediates);
            options = new TlsServerOptions(options.Certificate, chain);
        }
        return new Ssl4ServerEndpoint(ssl, port, options, backlog, @interface);
    }

    // Twisted's _parseClientSSL: host/port like tcp, plus hostname (name to verify), caCertsDir
    // (trusted roots: every *.pem in it), certKey/privateKey (client certificate).
    private static Ssl4ClientEndpoint ParseSslClient(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, SslClientPositional, SslClientKeywords);
        var host = args.NonEmpty("host");
        var port = args.Integer("port", null, 1, IPEndPoint.MaxPort, "a port number");
        var timeout = args.Seconds("timeout", Tcp4ClientEndpoint.DefaultTimeout);
        var bind = args.Address("bindAddress", AddressFamily.Unspecified, whenEmpty: null, fallback: null);
        var ssl = Require<IReactorSsl>(reactor, description);
        var options = new TlsClientOptions { ServerName = args.Optional("hostname") };
        if (args.Optional("caCertsDir") is { } dir)
        {
            options.TrustedCertificateAuthorities = args.Load("caCertsDir", "the trusted certificates", () => LoadPemDirectory(dir));
        }
        if (args.Optional("certKey") is { } cert)
        {
            var key = args.Optional("privateKey") ?? cert;
            options.ClientCertificate = args.Load("certKey", "the client certificate", () => X509Certificate2.CreateFromPemFile(cert, key));
        }
        else if (args.Has("privateKey"))
        {
            throw args.Error("privateKey", "privateKey needs certKey (the client certificate it belongs to).");
        }
        return new Ssl4ClientEndpoint(ssl, host, port, options, timeout, bind is null ? null : new IPEndPoint(bind, 0));
    }

    // Twisted's _parseClientTLS: HostnameEndpoint(host, port) wrapped in TLS, or the escaped
    // client description given by endpoint= (host then only names the certificate to expect).
    private static TlsClientEndpoint ParseTlsClient(object reactor, EndpointDescription description)
    {
        var args = new EndpointArguments(description, TlsClientPositional, TlsClientKeywords);
        var host = args.NonEmpty("host");
        var port = args.Integer("port", null, 1, IPEndPoint.MaxPort, "a port number");
        var timeout = args.Seconds("timeout", Tcp4ClientEndpoint.DefaultTimeout);
        var bind = args.Address("bindAddress", AddressFamily.Unspecified, whenEmpty: null, fallback: null);
        var clock = Require<IReactorTime>(reactor, description);
        var options = new TlsClientOptions();
        if (args.Optional("trustRoots") is { } dir)
        {
            options.TrustedCertificateAuthorities = args.Load("trustRoots", "the trusted certificates", () => LoadPemDirectory(dir));
        }
        if (args.Optional("certificate") is { } cert)
        {
            var key = args.Optional("privateKey") ?? cert;
            options.ClientCertificate = args.Load("certificate", "the client certificate", () => X509Certificate2.CreateFromPemFile(cert, key));
        }
        else if (args.Has("privateKey"))
        {
            throw args.Error("privateKey", "privateKey needs certificate (the client certificate it belongs to).");
        }

        IStreamClientEndpoint inner;
        if (args.Optional("endpoint") is { } nested)
        {
            try
            {
                inner = ParseClient(reactor, nested);
            }
            catch (EndpointParseError e)
            {
                throw args.Error("endpoint", $"the wrapped description is bad: {e.Message}", e);
            }
        }
        else
        {
            inner = new HostnameEndpoint(Require<IReactorTcp>(reactor, description), host, port, timeout,
                bind is null ? null : new IPEndPoint(bind, 0), clock: clock);
        }
        return new TlsClientEndpoint(inner, options, host, clock);
    }

    private static X509Certificate2Collection LoadPemCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    /// <summary>Every certificate in the directory's *.pem files (Twisted's <c>_loadCAsFromDir</c>).</summary>
    private static X509Certificate2Collection LoadPemDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Directory '{directory}' does not exist.");
        var certificates = new X509Certificate2Collection();
        foreach (var file in Directory.EnumerateFiles(directory, "*.pem").Order(StringComparer.Ordinal))
        {
            certificates.ImportFromPemFile(file);
        }
        return certificates;
    }
}
