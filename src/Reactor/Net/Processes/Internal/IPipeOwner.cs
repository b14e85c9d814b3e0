namespace Reactor.Net.Processes.Internal;

/// <summary>What a pipe reader or writer reports to the transport that owns it.</summary>
internal interface IPipeOwner
{
    /// <summary>Bytes arrived on the child's descriptor <paramref name="childFd"/> (valid during the call only).</summary>
    void DataReceived(int childFd, ReadOnlySpan<byte> data);

    /// <summary>The pipe on the child's descriptor <paramref name="childFd"/> is closed and its descriptor released.</summary>
    void PipeClosed(int childFd);

    /// <summary>Runs user code; an exception is logged and swallowed. False if it threw.</summary>
    bool RunUserCode(Action action, string what);
}
