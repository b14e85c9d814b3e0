using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Reactor.Time;
using Reactor.Web.Server;

namespace Reactor.Examples.HttpHello;

/// <summary>
/// HttpHello's one resource: <c>/json</c> answers a JSON object serialized per request
/// (TechEmpower's JSON test); every other path answers "Hello, World!" as text/plain
/// (TechEmpower's plaintext test). Steady state allocates nothing for the plaintext answer.
/// </summary>
public sealed class HelloResource : Resource
{
    /// <summary>The default limit on the request line, and on the header section, in bytes.</summary>
    public const int DefaultMaxHeaderBytes = 8192;

    private static readonly byte[] Hello = "Hello, World!"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _json = new(64);
    private readonly Utf8JsonWriter _writer;

    /// <summary>Creates the resource (one per reactor thread: it reuses its JSON buffer).</summary>
    public HelloResource() => _writer = new Utf8JsonWriter(_json);

    /// <summary>
    /// The site HttpHello serves: this resource at every path, with the header limits given; a client
    /// that takes longer than <paramref name="headersTimeout"/> (default: Reactor.Web's 30 s) to send a
    /// request's head gets 408 and is disconnected.
    /// </summary>
    public static Site CreateSite(IReactorTime time, int maxHeaderBytes = DefaultMaxHeaderBytes, TimeSpan? headersTimeout = null)
    {
        var options = new HttpServerOptions { MaxRequestLineBytes = maxHeaderBytes, MaxHeaderBytes = maxHeaderBytes };
        if (headersTimeout is { } timeout) options.HeadersTimeout = timeout;
        return new(new HelloResource(), time, options);
    }

    /// <inheritdoc/>
    public override bool IsLeaf => true;

    /// <inheritdoc/>
    public override IReadOnlyList<string> AllowedMethods => ["GET", "HEAD", "POST"];

    /// <inheritdoc/>
    protected override RenderResult RenderGet(Request request)
    {
        if (request.PathBytes.SequenceEqual("/json"u8))
        {
            _json.ResetWrittenCount();
            _writer.Reset(_json);
            JsonSerializer.Serialize(_writer, new HelloMessage { Message = "Hello, World!" }, HelloJsonContext.Default.HelloMessage);
            request.SetHeader("Content-Type"u8, "application/json"u8);
            request.Write(_json.WrittenSpan);
            return Done(request);
        }
        request.SetHeader("Content-Type"u8, "text/plain"u8);
        request.Write(Hello);
        return Done(request);
    }

    /// <summary>A request body is read and dropped; the answer is the same.</summary>
    protected override RenderResult RenderPost(Request request) => RenderGet(request);

    private static RenderResult Done(Request request)
    {
        request.Finish();
        return RenderResult.NotDoneYet;
    }
}

/// <summary>The JSON answer: <c>{"message":"Hello, World!"}</c>.</summary>
public struct HelloMessage
{
    /// <summary>The greeting.</summary>
    [JsonPropertyName("message")]
    public string Message { get; set; }
}

/// <summary>Source-generated serializer (no reflection: NativeAOT-clean).</summary>
[JsonSerializable(typeof(HelloMessage))]
internal sealed partial class HelloJsonContext : JsonSerializerContext;
