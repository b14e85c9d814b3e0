using Reactor.Defer;
using Reactor.Protocols;

namespace Reactor.Tests.Net;

/// <summary>Checks a received <see cref="NetTesting.PatternAt"/> stream byte by byte: count, first mismatch, how it ended.</summary>
internal sealed class PatternChecker : Protocol
{
    public long Received;
    public long FirstMismatch = -1;
    public Failure? Lost;

    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            if (FirstMismatch < 0 && data[i] != NetTesting.PatternAt(Received + i)) FirstMismatch = Received + i;
        }
        Received += data.Length;
    }

    public override void ConnectionLost(Failure reason) => Lost = reason;
}
