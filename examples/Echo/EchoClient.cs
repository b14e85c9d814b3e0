using System.Text;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Examples.Echo;

/// <summary>
/// The client mode: sends each line of standard input to the server and prints what comes back.
/// At the end of standard input it half-closes (FIN) and exits once the server has closed.
/// </summary>
public sealed class EchoClient : Protocol, IHalfCloseableProtocol
{
    private readonly ReactorLoop _reactor;
    private readonly Stream _stdout = Console.OpenStandardOutput();

    /// <summary>Creates the client for <paramref name="reactor"/>.</summary>
    public EchoClient(ReactorLoop reactor) => _reactor = reactor;

    /// <summary>The exit code: 0 once the server closed cleanly.</summary>
    public int ExitCode { get; private set; } = 1;

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        var transport = (IStreamTransport)Transport;
        // Standard input blocks: read it on its own thread and hand each line to the reactor.
        var reader = new Thread(() =>
        {
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                _reactor.CallFromThread(() => transport.Write(bytes));
            }
            _reactor.CallFromThread(transport.LoseWriteConnection);
        })
        { IsBackground = true, Name = "stdin" };
        reader.Start();
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _stdout.Write(data);
        _stdout.Flush();
    }

    /// <inheritdoc/>
    public void ReadConnectionLost() => Transport.LoseConnection();

    /// <inheritdoc/>
    public void WriteConnectionLost() { }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        ExitCode = reason.Value is ConnectionDone ? 0 : 1;
        if (ExitCode != 0) Console.Error.WriteLine($"Echo client: connection lost: {reason.GetErrorMessage()}");
        if (_reactor.Running) _reactor.Stop();
    }
}
