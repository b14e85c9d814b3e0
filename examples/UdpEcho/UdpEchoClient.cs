using System.Net;
using System.Text;
using Reactor.Core;
using Reactor.Protocols;
using Reactor.Time;

namespace Reactor.Examples.UdpEcho;

/// <summary>
/// The client mode: sends each line of standard input as one datagram to the connected server and
/// prints each reply as a line. At the end of input it waits up to <c>replyTimeout</c> for the
/// replies still missing (UDP may drop any datagram), then stops the reactor.
/// </summary>
public sealed class UdpEchoClient(ReactorLoop reactor, TimeSpan replyTimeout) : DatagramProtocol
{
    private int _sent;
    private int _received;
    private bool _inputDone;
    private IDelayedCall? _deadline;
    private bool _finished;

    /// <summary>Why the client failed (no reply, refused), or null while all went well.</summary>
    public string? Problem { get; private set; }

    /// <inheritdoc/>
    public override void StartProtocol()
    {
        // Standard input blocks: read it on its own thread and hand each line to the reactor.
        var reader = new Thread(() =>
        {
            string? line;
            while ((line = Console.In.ReadLine()) is not null)
            {
                var datagram = Encoding.UTF8.GetBytes(line);
                reactor.CallFromThread(() => Send(datagram));
            }
            reactor.CallFromThread(InputEnded);
        })
        { IsBackground = true, Name = "stdin" };
        reader.Start();
    }

    /// <inheritdoc/>
    public override void DatagramReceived(ReadOnlySpan<byte> data, EndPoint from)
    {
        _received++;
        Console.WriteLine(Encoding.UTF8.GetString(data));
        if (_inputDone && _received >= _sent) Finish(null);
    }

    /// <summary>The kernel reported ICMP port unreachable: nobody listens there.</summary>
    public override void ConnectionRefused() => Finish("the server's port is closed (connection refused)");

    private void Send(byte[] datagram)
    {
        if (Transport.Write(datagram)) _sent++;
        else Console.Error.WriteLine("UdpEcho client: the send buffer is full; a datagram was dropped");
    }

    private void InputEnded()
    {
        _inputDone = true;
        if (_received >= _sent)
        {
            Finish(null);
            return;
        }
        _deadline = reactor.CallLater(replyTimeout, () => Finish($"{_sent - _received} of {_sent} datagrams got no reply within {replyTimeout.TotalSeconds:0.#} s"));
    }

    private void Finish(string? problem)
    {
        if (_finished) return;
        _finished = true;
        Problem = problem;
        if (_deadline is { Active: true }) _deadline.Cancel();
        reactor.Stop();
    }
}
