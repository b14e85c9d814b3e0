using Reactor.Defer;
using Reactor.Errors;
using Reactor.Protocols;

namespace Reactor.Tests.Testing;

/// <summary>A protocol that records every call made to it, for tests of transports and pumps.</summary>
internal class RecordingProtocol : Protocol
{
    public List<byte> Received { get; } = [];
    public List<int> ChunkSizes { get; } = [];
    public List<string> Events { get; } = [];
    public Failure? LostReason { get; private set; }
    public int LostCount { get; private set; }

    public string ReceivedText => System.Text.Encoding.ASCII.GetString(Received.ToArray());

    public override void ConnectionMade() => Events.Add("made");

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        Received.AddRange(data.ToArray());
        ChunkSizes.Add(data.Length);
    }

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        LostReason = reason;
        LostCount++;
        Events.Add("lost:" + reason.Type.Name);
    }
}

/// <summary>A recording protocol that is told about half-closes.</summary>
internal sealed class HalfCloseRecordingProtocol : RecordingProtocol, IHalfCloseableProtocol
{
    public void ReadConnectionLost() => Events.Add("readLost");

    public void WriteConnectionLost() => Events.Add("writeLost");
}
