namespace Reactor.Protocols.Basic;

/// <summary>
/// Receives and sends strings prefixed by their length as a 4-byte unsigned big-endian
/// integer (Twisted's <c>Int32StringReceiver</c>). Override <see cref="IntNStringReceiver.StringReceived"/>.
/// </summary>
public abstract class Int32StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int32StringReceiver() : base(4) { }
}
