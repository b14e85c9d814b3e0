namespace Reactor.Errors;

/// <summary>
/// A UNIX-socket server's lock file is not held by a live process, so <c>ConnectUnix</c> with
/// <c>checkPid</c> refused to connect (Twisted's <c>BadFileError</c> from <c>connectUNIX(checkPID=1)</c>).
/// </summary>
public class NoLiveServerError : ConnectError
{
    /// <summary>Creates the error naming the socket path.</summary>
    public NoLiveServerError(string path)
        : base($"No live server holds the lock file {path}.lock, so {path} was not connected to.")
    {
        Path = path;
    }

    /// <summary>The socket path.</summary>
    public string Path { get; }
}
