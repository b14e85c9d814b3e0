using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;

// Usage: KestrelEcho PORT (0 = any free port). Prints "kestrel listening on 127.0.0.1:PORT" first.
var port = args.Length > 0 ? int.Parse(args[0]) : 0;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
    kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseConnectionHandler<EchoHandler>()));
var app = builder.Build();
await app.StartAsync();
var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
    .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
Console.WriteLine($"kestrel listening on {new Uri(address).Authority}");
await app.WaitForShutdownAsync();

/// <summary>Copies every byte back; reading waits while the output pipe is full (backpressure).</summary>
sealed class EchoHandler : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        while (true)
        {
            var result = await input.ReadAsync();
            foreach (var segment in result.Buffer) output.Write(segment.Span);
            input.AdvanceTo(result.Buffer.End);
            await output.FlushAsync();
            if (result.IsCompleted || result.IsCanceled) break;
        }
        await output.CompleteAsync();
    }
}
