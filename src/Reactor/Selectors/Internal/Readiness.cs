namespace Reactor.Selectors.Internal;

/// <summary>
/// The one rule every backend applies when it turns kernel flags into <see cref="SelectorEvents"/>:
/// report only what was asked for, and turn a hang-up or an error into readiness in the
/// directions asked for, so the read or write path discovers the end of file or the error
/// (what libevent, the .NET runtime and Twisted do).
/// </summary>
internal static class Readiness
{
    /// <summary>Combines the decoded kernel conditions with the registration's interest.</summary>
    public static SelectorEvents Map(Interest interest, bool readable, bool writable, bool readHangUp, bool fullHangUp, bool error)
    {
        bool wantsRead = (interest & Interest.Read) != 0;
        bool wantsWrite = (interest & Interest.Write) != 0;
        SelectorEvents result = SelectorEvents.None;
        if (wantsRead && (readable || readHangUp || fullHangUp || error)) result |= SelectorEvents.Readable;
        if (wantsWrite && (writable || fullHangUp || error)) result |= SelectorEvents.Writable;
        if (readHangUp || fullHangUp) result |= SelectorEvents.HangUp;
        if (error) result |= SelectorEvents.Error;
        return result;
    }
}
