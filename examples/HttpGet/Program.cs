using System.CommandLine;
using Reactor;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Examples.HttpGet;
using Reactor.Selectors;
using Reactor.Web.Client;

var url = new Argument<string>("URL") { Description = "the http or https URL to fetch" };
var selector = new Option<SelectorKind?>("--selector") { Description = "selector backend (default: REACTOR_SELECTOR, else the best for this OS)", CustomParser = r => SelectorFactory.Parse(r.Tokens[0].Value) };
selector.AcceptOnlyFromAmong("epoll", "kqueue", "poll", "select", "io_uring");
var follow = new Option<bool>("--follow") { Description = "follow redirects (at most 20)" };
var timeout = new Option<double>("--timeout") { Description = "seconds allowed to connect, and to wait for the response head and for each piece of body", DefaultValueFactory = _ => 30 };
var insecure = new Option<bool>("--insecure") { Description = "do not verify the server's TLS certificate (testing only)" };

var command = new RootCommand(
    "Fetches a URL with Reactor.Web's Agent (keep-alive pool, Happy Eyeballs, TLS with certificate verification): " +
    "prints the status line and headers to standard error and the body to standard output as it arrives. " +
    "Exits 0 on a 2xx status, 1 otherwise (or on an error, printed to standard error).")
    { url, selector, follow, timeout, insecure };
command.SetAction(parsed =>
{
    if (!Uri.TryCreate(parsed.GetValue(url), UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
    {
        Console.Error.WriteLine($"HttpGet: {parsed.GetValue(url)} is not an absolute http or https URL");
        return 2;
    }
    var wait = TimeSpan.FromSeconds(parsed.GetValue(timeout));
    using var reactor = ReactorLoop.Create(new ReactorOptions { Selector = parsed.GetValue(selector) });
    var agent = new Agent(reactor, reactor, new AgentOptions
    {
        FollowRedirects = parsed.GetValue(follow),
        ConnectTimeout = wait,
        ResponseTimeout = wait,
        BodyIdleTimeout = wait,
        Tls = parsed.GetValue(insecure) ? new Reactor.Net.Tls.TlsClientOptions { UnsafeSkipCertificateVerification = true } : null,
    });
    var exitCode = 1;
    reactor.CallWhenRunning(() =>
    {
        agent.Request("GET", target).AddCallback(response =>
        {
            Console.Error.WriteLine($"HTTP/{response.Version} {response.Code} {response.Phrase}");
            foreach (var (name, value) in response.Headers) Console.Error.WriteLine($"{name}: {value}");
            var printer = new BodyPrinter(Console.OpenStandardOutput());
            response.DeliverBody(printer);
            return printer.Done.AddCallback(_ => response.Code is >= 200 and < 300 ? 0 : 1);
        }).AddCallbacks<object?>(code =>
        {
            exitCode = code;
            return null;
        }, failure =>
        {
            Console.Error.WriteLine($"HttpGet: {failure.GetErrorMessage()}");
            return null;
        }).AddBoth(() =>
        {
            agent.CloseIdleConnections();
            reactor.Stop();
        });
    });
    reactor.Run();
    return exitCode;
});
return command.Parse(args).Invoke();
