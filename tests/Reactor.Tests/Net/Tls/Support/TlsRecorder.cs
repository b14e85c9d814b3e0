using System.Text;
using Reactor.Core.Threading;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Tls;
using Reactor.Protocols;

namespace Reactor.Tests.Net.Tls.Support;

/// <summary>
/// A protocol that records what happens to it over TLS: bytes, handshake, loss, and the thread
/// each call ran on. Optionally echoes, and writes a greeting in <c>ConnectionMade</c>.
/// </summary>
internal class TlsRecorder : Protocol, IHandshakeListener
{
    private readonly MemoryStream _received = new();

    public bool Echo { get; init; }
    public byte[]? Greeting { get; init; }
    public List<string> Events { get; } = [];
    public HashSet<int> Threads { get; } = [];
    public Failure? LostReason { get; private set; }
    public int LostCount { get; private set; }
    public bool HandshakeDone { get; private set; }
    public long ReceivedCount => _received.Length;
    public byte[] ReceivedBytes => _received.ToArray();
    public string ReceivedText => Encoding.ASCII.GetString(_received.ToArray());
    public ITlsTransport Tls => (ITlsTransport)Transport;

    public override void ConnectionMade()
    {
        Threads.Add(Environment.CurrentManagedThreadId);
        Events.Add("made");
        if (Greeting is not null) Transport.Write(Greeting);
    }

    public virtual void HandshakeCompleted()
    {
        Threads.Add(Environment.CurrentManagedThreadId);
        HandshakeDone = true;
        Events.Add("handshake");
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        Threads.Add(Environment.CurrentManagedThreadId);
        _received.Write(data);
        if (Echo) Transport.Write(data);
    }

    public override void ConnectionLost(Failure reason)
    {
        Threads.Add(Environment.CurrentManagedThreadId);
        base.ConnectionLost(reason);
        LostReason = reason;
        LostCount++;
        Events.Add("lost:" + reason.Type.Name);
    }
}

/// <summary>A recorder that is told about half-closes (close_notify from the peer).</summary>
internal sealed class HalfCloseTlsRecorder : TlsRecorder, IHalfCloseableProtocol
{
    public Action<HalfCloseTlsRecorder>? OnReadClosed { get; init; }
    public bool ReadClosed { get; private set; }
    public bool WriteClosed { get; private set; }

    public void ReadConnectionLost()
    {
        ReadClosed = true;
        Events.Add("readClosed");
        OnReadClosed?.Invoke(this);
    }

    public void WriteConnectionLost()
    {
        WriteClosed = true;
        Events.Add("writeClosed");
    }
}
