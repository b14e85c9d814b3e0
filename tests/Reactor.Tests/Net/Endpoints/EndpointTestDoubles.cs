using System.Net;
using Reactor.Defer;
using Reactor.Protocols;

namespace Reactor.Tests.Net.Endpoints;

// The protocol and factory doubles the endpoint tests hand to a MemoryReactor.

/// <summary>A protocol that records its lifecycle.</summary>
internal class RecordingProtocol : Protocol
{
    public int Made { get; private set; }

    public Failure? Lost { get; private set; }

    public override void ConnectionMade() => Made++;

    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        Lost = reason;
    }
}

/// <summary>A half-closeable protocol, to check that wrappers keep the capability visible.</summary>
internal sealed class HalfCloseRecordingProtocol : RecordingProtocol, IHalfCloseableProtocol
{
    public int ReadLost { get; private set; }

    public void ReadConnectionLost() => ReadLost++;

    public void WriteConnectionLost() { }
}

/// <summary>A factory that counts what it built and its starts and stops.</summary>
internal sealed class CountingFactory(Func<IProtocol?> build) : Factory
{
    public List<IProtocol?> Built { get; } = [];

    public int Starts { get; private set; }

    public int Stops { get; private set; }

    public override IProtocol? BuildProtocol(EndPoint address)
    {
        var p = build();
        Built.Add(p);
        return p;
    }

    public override void StartFactory() => Starts++;

    public override void StopFactory() => Stops++;
}
