using System.CommandLine;
using System.Security.Authentication;
using System.Security.Cryptography;
using Reactor;
using Reactor.Core;
using Reactor.Errors;
using Reactor.Examples.TlsEcho;
using Reactor.Net;
using Reactor.Net.Tls;
using Reactor.Protocols;
using Reactor.Selectors;

var port = new Option<int>("--port") { Description = "TCP port to listen on; 0 picks a free port", DefaultValueFactory = _ => 8443 };
var host = new Option<string>("--host") { Description = "address to listen on; loopback only by default", DefaultValueFactory = _ => "127.0.0.1" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var cert = new Option<FileInfo?>("--cert") { Description = "PEM file with the server certificate (and any intermediates)" };
var key = new Option<FileInfo?>("--key") { Description = "PEM file with its private key" };
var handshakeTimeout = new Option<double>("--handshake-timeout")
{
    Description = "seconds a client may take to finish the TLS handshake; a client that stalls (sends part of a hello and waits) is dropped after it",
    DefaultValueFactory = _ => 10,
};
handshakeTimeout.Validators.Add(result =>
{
    if (!(result.GetValueOrDefault<double>() > 0)) result.AddError("--handshake-timeout must be a positive number of seconds");
});

var command = new RootCommand(
    "A TLS echo server: every byte a client sends comes back, encrypted. TLS 1.2 and 1.3 are enabled. " +
    "The certificate and its private key come from --cert and --key (PEM files); without them a throw-away " +
    "self-signed certificate for localhost is generated at start (and said so on stderr). When the client ends " +
    "its side (close_notify or FIN) the rest is echoed, then the server closes. The first line of output is " +
    "\"TlsEcho listening on ADDRESS\"; SIGTERM or Ctrl-C stops it cleanly.")
    { port, host, selector, cert, key, handshakeTimeout };
command.Validators.Add(result =>
{
    if (result.GetValue(cert) is null != result.GetValue(key) is null) result.AddError("--cert and --key go together");
});
command.SetAction(parsed =>
{
    TlsServerOptions tls;
    if (parsed.GetValue(cert) is { } certificateFile)
    {
        try
        {
            tls = TlsServerOptions.FromPemFiles(certificateFile.FullName, parsed.GetValue(key)!.FullName);
        }
        catch (Exception error) when (error is ArgumentException or IOException or CryptographicException)
        {
            Console.Error.WriteLine($"TlsEcho: {error.Message}");
            return 1;
        }
    }
    else
    {
        var certificate = ThrowAwayCertificate.Create();
        Console.Error.WriteLine("TlsEcho: no --cert/--key given: using a throw-away self-signed certificate for localhost " +
            $"(SHA-256 fingerprint {certificate.GetCertHashString(HashAlgorithmName.SHA256)}); clients must skip verification or pin it");
        tls = new TlsServerOptions(certificate);
    }
    tls.MinimumProtocolVersion = SslProtocols.Tls12;
    tls.HandshakeTimeout = TimeSpan.FromSeconds(parsed.GetValue(handshakeTimeout));

    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    IListeningPort listening;
    try
    {
        listening = reactor.ListenSsl(parsed.GetValue(port), Factory.For<TlsEchoProtocol>(), tls, backlog: 4096, @interface: parsed.GetValue(host));
    }
    catch (Exception error) when (error is CannotListenError or ArgumentException)
    {
        Console.Error.WriteLine($"TlsEcho: {error.Message}");
        return 1;
    }
    reactor.CallWhenRunning(() => Console.WriteLine($"TlsEcho listening on {listening.GetHost()}"));
    reactor.Run();
    return 0;
});
return command.Parse(args).Invoke();
