using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

// Usage: KestrelHttp PORT (0 = any free port). Prints "kestrel listening on 127.0.0.1:PORT" first.
// TechEmpower's tests on Kestrel: GET /plaintext answers "Hello, World!" (text/plain), GET /json a
// {"message":"Hello, World!"} object serialized per request with System.Text.Json (source-generated),
// the same answers as examples/HttpHello. Logging off, as in the benchmark.
var port = args.Length > 0 ? int.Parse(args[0]) : 0;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
var app = builder.Build();
var hello = "Hello, World!"u8.ToArray();
app.Run(context =>
{
    var response = context.Response;
    response.StatusCode = 200;
    if (context.Request.Path.Value == "/json")
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new HelloMessage { Message = "Hello, World!" }, HelloJson.Default.HelloMessage);
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length);
    }
    response.ContentType = "text/plain";
    response.ContentLength = hello.Length;
    return response.Body.WriteAsync(hello, 0, hello.Length);
});
await app.StartAsync();
var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
    .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"kestrel listening on {new Uri(address).Authority}");
await app.WaitForShutdownAsync();

/// <summary>TechEmpower's JSON test message.</summary>
sealed class HelloMessage
{
    /// <summary>Always "Hello, World!".</summary>
    [JsonPropertyName("message")]
    public string Message { get; set; } = "";
}

/// <summary>Source-generated serialization of <see cref="HelloMessage"/> (as HttpHello does).</summary>
[JsonSerializable(typeof(HelloMessage))]
sealed partial class HelloJson : JsonSerializerContext;
