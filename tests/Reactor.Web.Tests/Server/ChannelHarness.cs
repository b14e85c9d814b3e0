using System.Text;
using Reactor.Core;
using Reactor.Testing;
using Reactor.Time;
using Reactor.Web.Http;
using Reactor.Web.Server;

namespace Reactor.Web.Tests.Server;

/// <summary>An <see cref="HttpChannel"/> on a <see cref="StringTransport"/> with a manual clock: HTTP without sockets.</summary>
internal sealed class ChannelHarness
{
    public static readonly DateTime FixedDate = new(2026, 11, 23, 21, 0, 0, DateTimeKind.Utc);

    public ChannelHarness(Resource root, HttpServerOptions? options = null)
    {
        Clock = new Clock();
        Site = new Site(root, Clock, options, date: new HttpDate(() => FixedDate));
        Transport = new StringTransport();
        Channel = (HttpChannel)Site.BuildProtocol(Transport.GetPeer())!;
        Channel.MakeConnection(Transport);
    }

    public static ChannelHarness For(Action<Request> handler, HttpServerOptions? options = null) => new(new DelegateResource(handler), options);

    public Clock Clock { get; }

    public Site Site { get; }

    public StringTransport Transport { get; }

    public HttpChannel Channel { get; }

    public void Send(string text) => Channel.DataReceived(Encoding.Latin1.GetBytes(text));

    public string Output => Transport.ValueAsString();

    /// <summary>Splits everything written so far into responses (by Content-Length or chunked framing).</summary>
    public List<ParsedResponse> Responses(bool headRequests = false) => ParsedResponse.ParseAll(Transport.Value(), headRequests);
}

/// <summary>A response read back from raw bytes, for assertions.</summary>
internal sealed record ParsedResponse(int Status, string Reason, List<KeyValuePair<string, string>> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static List<ParsedResponse> ParseAll(byte[] bytes, bool head = false)
    {
        var list = new List<ParsedResponse>();
        var text = Encoding.Latin1.GetString(bytes);
        var at = 0;
        while (at < text.Length)
        {
            var end = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (end < 0) throw new FormatException("incomplete response head: " + text[at..]);
            var lines = text[at..end].Split("\r\n");
            var statusParts = lines[0].Split(' ', 3);
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1].Trim())).ToList();
            at = end + 4;
            var status = int.Parse(statusParts[1], System.Globalization.CultureInfo.InvariantCulture);
            var response = new ParsedResponse(status, statusParts.Length > 2 ? statusParts[2] : "", headers, "");
            var body = new StringBuilder();
            if (head || status is < 200 or 204 or 304) { }
            else if (response.Header("content-length") is { } length)
            {
                var n = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
                body.Append(text, at, n);
                at += n;
            }
            else if (response.Header("transfer-encoding") == "chunked")
            {
                while (true)
                {
                    var lineEnd = text.IndexOf("\r\n", at, StringComparison.Ordinal);
                    var size = Convert.ToInt32(text[at..lineEnd], 16);
                    at = lineEnd + 2;
                    if (size == 0)
                    {
                        at += 2;
                        break;
                    }
                    body.Append(text, at, size);
                    at += size + 2;
                }
            }
            else
            {
                body.Append(text, at, text.Length - at);
                at = text.Length;
            }
            list.Add(response with { Body = body.ToString() });
        }
        return list;
    }
}
