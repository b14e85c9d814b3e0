namespace Reactor.Core;

public sealed partial class ReactorOptions
{
    /// <summary>
    /// The options of loop <paramref name="index"/> of a <see cref="ReactorGroup"/>: these, with the
    /// Meter tagged <c>reactor.loop</c>, and signal handlers on the first loop only (the others run on
    /// threads of their own, and one loop's shutdown stops them all).
    /// </summary>
    internal ReactorOptions ForGroupLoop(int index)
    {
        var copy = (ReactorOptions)MemberwiseClone();
        copy.MeterTags = [.. MeterTags ?? [], new("reactor.loop", index)];
        if (index > 0) copy.InstallSignalHandlers = false;
        return copy;
    }
}
