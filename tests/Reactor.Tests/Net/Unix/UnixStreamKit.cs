using System.Net;
using System.Text;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Net.Unix;
using Reactor.Net;
using Reactor.Protocols;

namespace Reactor.Tests.Net.Unix;

/// <summary>A stream protocol that records what happens to it and can echo.</summary>
internal sealed class RecordingStreamProtocol : Protocol, IFileDescriptorReceiver
{
    private readonly MemoryStream _received = new();

    public bool Echo { get; init; }

    public Action<RecordingStreamProtocol>? OnMade { get; init; }

    public List<int> Descriptors { get; } = new();

    /// <summary>How many bytes had arrived when each descriptor did (descriptors come before their bytes).</summary>
    public List<long> BytesBeforeDescriptor { get; } = new();

    public Failure? Lost { get; private set; }

    public EndPoint? Host { get; private set; }

    public EndPoint? Peer { get; private set; }

    public byte[] Received => _received.ToArray();

    public string ReceivedText => Encoding.ASCII.GetString(Received);

    public override void ConnectionMade()
    {
        Host = Transport.GetHost();
        Peer = Transport.GetPeer();
        OnMade?.Invoke(this);
    }

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        _received.Write(data);
        if (Echo) Transport.Write(data);
    }

    public void FileDescriptorReceived(int fileDescriptor)
    {
        Descriptors.Add(fileDescriptor);
        BytesBeforeDescriptor.Add(_received.Length);
    }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        Lost = reason;
    }
}

/// <summary>A client factory that records its connector callbacks.</summary>
internal sealed class RecordingClientFactory(Func<RecordingStreamProtocol> build) : ClientFactory(() => build())
{
    public List<Failure> Failures { get; } = new();

    public int Started { get; private set; }

    public override void StartedConnecting(IConnector connector) => Started++;

    public override void ClientConnectionFailed(IConnector connector, Failure reason) => Failures.Add(reason);
}
