namespace Reactor.Protocols.Basic;

/// <summary>
/// Receives and sends strings prefixed by their length as a 1-byte unsigned big-endian
/// integer (Twisted's <c>Int8StringReceiver</c>). Override <see cref="IntNStringReceiver.StringReceived"/>.
/// </summary>
public abstract class Int8StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int8StringReceiver() : base(1) { }
}
