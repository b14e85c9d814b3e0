namespace Reactor.Core.Internal;

/// <summary>
/// A descriptor that keeps the token of the reactor slot it is registered in, so the reactor finds
/// it by one array index when it stops or starts reading or writing (mio's <c>Token</c> held by the
/// source) instead of searching. Only the reactor reads or writes <see cref="SlotToken"/>; a stale
/// token (the slot was freed since) is recognised by its generation.
/// </summary>
internal interface ISlotHolder
{
    /// <summary>The token of the slot this descriptor was last attached to.</summary>
    long SlotToken { get; set; }
}
