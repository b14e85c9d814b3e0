using Reactor.Defer;
using Reactor.Protocols;
using Reactor.Web.Http;

namespace Reactor.Examples.HttpGet;

/// <summary>A response body protocol that copies the body to a stream as it arrives and fires <see cref="Done"/> at its end.</summary>
public sealed class BodyPrinter(Stream output) : Protocol
{
    /// <summary>Fires with the byte count when the body ended completely; fails if it did not.</summary>
    public Deferred<long> Done { get; } = new();

    /// <summary>Bytes written so far.</summary>
    public long Bytes { get; private set; }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data)
    {
        output.Write(data);
        Bytes += data.Length;
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        output.Flush();
        // A body without a length that ended with the connection is complete as far as anyone can tell.
        if (reason.Value is ResponseDone or PotentialDataLoss) Done.Callback(Bytes);
        else Done.Errback(reason);
    }
}
