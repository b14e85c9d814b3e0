using Reactor.Core;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Time;
using Reactor.Web.Client;
using Reactor.Web.Server;
using Reactor.Web.Static;

namespace Reactor.Docs.Samples.Guides.Http;

#region resource
/// <summary>Twisted style: answers later, from a timer (render returns NOT_DONE_YET).</summary>
public sealed class SlowHello(IReactorTime time) : Resource
{
    /// <inheritdoc/>
    public override bool IsLeaf => true;

    /// <inheritdoc/>
    protected override RenderResult RenderGet(Request request)
    {
        var call = time.CallLater(TimeSpan.FromMilliseconds(50), () =>
        {
            request.Write("Hello, later");
            request.Finish();
        });
        // The client went away first: do not write to a dead request.
        request.NotifyFinish().AddErrback(failure =>
        {
            if (call.Active) call.Cancel();
            return null;
        });
        return RenderResult.NotDoneYet;
    }
}
#endregion

/// <summary>The guide's server and client snippets, runnable.</summary>
public static class HttpSamples
{
    /// <summary>The resource tree of the guide: /hello, /slow and /files/ (a folder).</summary>
    public static Resource BuildRoot(IReactorTime time, string folder)
    {
        #region tree
        var root = new Resource();
        root.PutChild("hello", new DelegateResource(request =>
        {
            request.SetHeader("Content-Type", "text/plain");
            request.Write("Hello, " + (request.GetArgument("name") ?? "world"));
        }));                                                // finished when the delegate returns
        root.PutChild("slow", new SlowHello(time));
        root.PutChild("files", new StaticFile(folder));     // ETag, Range, any size
        #endregion
        return root;
    }

    /// <summary>Listens with the guide's tree on a free loopback port.</summary>
    public static IListeningPort Listen(ReactorLoop reactor, string folder)
    {
        #region listen
        var site = new Site(BuildRoot(reactor, folder), reactor);
        var port = reactor.ListenTcp(0, site, @interface: "127.0.0.1");   // 0: any free port
        #endregion
        return port;
    }

    /// <summary>The .NET style: one async delegate for every request.</summary>
    public static IListeningPort ListenHandler(ReactorLoop reactor)
    {
        #region handler
        var site = Site.ForHandler(async request =>
        {
            request.SetHeader("Content-Type", "text/plain");
            request.Write("one ");
            await Task.Yield();          // continuations run on the reactor thread
            request.Write("two");        // written across turns: sent chunked
        }, reactor);
        var port = reactor.ListenTcp(0, site, @interface: "127.0.0.1");
        #endregion
        return port;
    }

    /// <summary>The client snippet: GET a URL, the status line, a header and the body (bounded).</summary>
    public static async Task<string> FetchAsync(ReactorLoop reactor, string url)
    {
        #region client
        var agent = new Agent(reactor, reactor, new AgentOptions { FollowRedirects = true });
        var response = await agent.Request("GET", url);
        var body = await response.ReadTextAsync(maxBytes: 1 << 20);   // BodyTooLarge past the limit
        agent.CloseIdleConnections();
        return $"{response.Code} {response.Phrase} {response.Headers.Get("Content-Type")}\n{body}";
        #endregion
    }
}
