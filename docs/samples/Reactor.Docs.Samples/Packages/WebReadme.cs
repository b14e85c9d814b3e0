using System.Net;
using Reactor.Defer;
using Reactor.Web.Client;
using Reactor.Web.Server;

namespace Reactor.Docs.Samples.Packages;

/// <summary>The program in src/Reactor.Web/README.md (the package's page on the gallery), runnable.</summary>
public static class WebReadme
{
    /// <summary>Serves a greeting and fetches it with the Agent; the Deferred fires with "CODE BODY".</summary>
    public static Deferred<string> HelloRoundTrip(ReactorLoop reactor)
    {
        #region readme
        // A server: every request is answered by this handler, on the reactor thread.
        var site = Site.ForHandler(request =>
        {
            request.SetHeader("Content-Type", "text/plain");
            request.Write($"Hello from {request.Path}\n");
        }, reactor);
        var port = reactor.ListenTcp(0, site, @interface: "127.0.0.1");

        // A client: the Agent keeps connections alive and pools them per host.
        var agent = new Agent(reactor, reactor);
        var url = $"http://127.0.0.1:{((IPEndPoint)port.GetHost()).Port}/docs";
        var reply = Deferred.EnsureDeferred(async () =>
        {
            var response = await agent.Request("GET", url);
            return $"{response.Code} {await response.ReadTextAsync()}";
        });
        #endregion
        return reply;
    }
}
