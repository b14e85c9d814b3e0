namespace Reactor.Protocols.Basic.Internal;

/// <summary>A framing receiver's parsing loop, run by <see cref="ReceiveBuffer.Receive"/>.</summary>
internal interface IReceiveLoop
{
    /// <summary>Delivers every complete frame at hand (buffered bytes first, then the current read).</summary>
    void ProcessReceived();
}
