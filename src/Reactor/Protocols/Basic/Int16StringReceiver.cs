namespace Reactor.Protocols.Basic;

/// <summary>
/// Receives and sends strings prefixed by their length as a 2-byte unsigned big-endian
/// integer (Twisted's <c>Int16StringReceiver</c>). Override <see cref="IntNStringReceiver.StringReceived"/>.
/// </summary>
public abstract class Int16StringReceiver : IntNStringReceiver
{
    /// <summary>Creates the receiver.</summary>
    protected Int16StringReceiver() : base(2) { }
}
