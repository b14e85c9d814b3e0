namespace Reactor.Protocols.Basic.Internal;

/// <summary>
/// The pause switch a framing receiver (<see cref="LineReceiver"/>, <see cref="IntNStringReceiver"/>,
/// <see cref="FixedLengthReceiver"/>) keeps as the <see cref="IPushProducer"/> of its own deliveries:
/// while it is set the receiver delivers nothing and its transport does not read. A struct, kept in
/// a field, so a receiver costs no extra object.
/// </summary>
internal struct ReceiverPause
{
    /// <summary>True from <see cref="Pause"/> or <see cref="Stop"/> until <see cref="Resume"/>.</summary>
    public bool IsPaused { get; private set; }

    /// <summary>Stops delivering and pauses <paramref name="transport"/> (stops reading).</summary>
    public void Pause(ITransport transport)
    {
        IsPaused = true;
        transport.PauseProducing();
    }

    /// <summary>
    /// Resumes <paramref name="transport"/>. The receiver then delivers what it held back, by
    /// calling its own <c>DataReceived(default)</c> (virtual, so a subclass's override still sees it).
    /// </summary>
    public void Resume(ITransport transport)
    {
        IsPaused = false;
        transport.ResumeProducing();
    }

    /// <summary>Stops delivering and stops <paramref name="transport"/>.</summary>
    public void Stop(ITransport transport)
    {
        IsPaused = true;
        transport.StopProducing();
    }
}
