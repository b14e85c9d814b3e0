using System.Security.Authentication;
using Reactor;
using Reactor.Examples;
using Reactor.Examples.TlsEcho;
using Reactor.Net;
using Reactor.Net.Tls;
using Reactor.Protocols;

const string Name = "TlsEcho";
var options = ExampleHost.Parse(
    Name,
    "A TLS echo server: every byte a client sends comes back, encrypted. TLS 1.2 and 1.3 are enabled.\n" +
    "The certificate and its private key come from --cert and --key (PEM files); without them a\n" +
    "throw-away self-signed certificate for localhost is generated at start (and said so on stderr).\n" +
    "When the client ends its side (close_notify or FIN) the rest is echoed, then the server closes.",
    defaultPort: 8443, args, modes: [], extraOptions: new Dictionary<string, string>
    {
        ["cert"] = "PEM file with the server certificate (and any intermediates)",
        ["key"] = "PEM file with its private key",
    }, out var exitCode);
if (options is null) return exitCode;

TlsServerOptions tls;
var certificatePath = options.Extra.GetValueOrDefault("cert");
var keyPath = options.Extra.GetValueOrDefault("key");
if (certificatePath is null != keyPath is null)
{
    Console.Error.WriteLine($"{Name}: --cert and --key go together (see --help)");
    return 2;
}
if (certificatePath is not null)
{
    try
    {
        tls = TlsServerOptions.FromPemFiles(certificatePath, keyPath!);
    }
    catch (Exception ex) when (ex is ArgumentException or IOException)
    {
        Console.Error.WriteLine($"{Name}: {ex.Message}");
        return 1;
    }
}
else
{
    var certificate = ThrowAwayCertificate.Create();
    Console.Error.WriteLine($"{Name}: no --cert/--key given: using a throw-away self-signed certificate for localhost (SHA-256 fingerprint {certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}); clients must skip verification or pin it");
    tls = new TlsServerOptions(certificate);
}
tls.MinimumProtocolVersion = SslProtocols.Tls12;

var reactor = ExampleHost.CreateReactor(options);
IListeningPort port;
try
{
    port = reactor.ListenSsl(options.Port, Factory.For<TlsEchoProtocol>(), tls, ExampleHost.Backlog, options.Host);
}
catch (CannotListenError ex)
{
    Console.Error.WriteLine($"{Name}: {ex.Message}");
    return 1;
}
ExampleHost.AnnounceListening(Name, port);
return ExampleHost.Run(reactor);
