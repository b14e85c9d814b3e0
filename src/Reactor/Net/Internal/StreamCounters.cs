namespace Reactor.Net.Internal;

/// <summary>
/// Connection and byte counts for one kind of stream transport on one reactor. Only the reactor
/// thread writes them (plain increments: free on the hot path); metric observers read them from
/// their own thread, which a 64-bit field allows without tearing.
/// </summary>
internal sealed class StreamCounters(string transport)
{
    /// <summary>The <c>network.transport</c> tag value: "tcp" or "unix".</summary>
    public string Transport { get; } = transport;

    public long Opened;
    public long Active;
    public long ClosedDone;
    public long ClosedLost;
    public long BytesReceived;
    public long BytesSent;
}
