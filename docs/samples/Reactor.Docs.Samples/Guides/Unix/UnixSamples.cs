using System.Text;
using Microsoft.Win32.SafeHandles;
using Reactor.Defer;
using Reactor.Net;
using Reactor.Net.Unix;
using Reactor.Protocols;

namespace Reactor.Docs.Samples.Guides.Unix;

#region hand-out
/// <summary>
/// Tells each client who it is (the kernel's record of the peer process) and hands it an open
/// descriptor of a file: the client reads the file without being able to open it by name.
/// </summary>
public sealed class HandOutFile(string path) : Protocol
{
    private SafeFileHandle? _file;

    /// <inheritdoc/>
    public override void ConnectionMade()
    {
        var unix = (IUnixTransport)Transport;
        var peer = unix.GetPeerCredentials();          // SO_PEERCRED: pid, uid, gid
        _file = File.OpenHandle(path);
        unix.SendFileDescriptor((int)_file.DangerousGetHandle()); // travels with the next byte written
        Transport.Write(Encoding.ASCII.GetBytes($"uid {peer.UserId}\n"));
        Transport.LoseConnection();
    }

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        _file?.Dispose(); // the copy was sent: ours can close now
    }
}
#endregion

#region receive
/// <summary>Receives a descriptor and reads the file behind it; the descriptor is ours to close.</summary>
public sealed class ReadHandedFile(Action<string, string> done) : Protocol, IFileDescriptorReceiver
{
    private readonly StringBuilder _text = new();
    private string _file = "";

    /// <inheritdoc/>
    public void FileDescriptorReceived(int fileDescriptor)
    {
        using var stream = new FileStream(new SafeFileHandle(fileDescriptor, ownsHandle: true), FileAccess.Read);
        _file = new StreamReader(stream).ReadToEnd();
    }

    /// <inheritdoc/>
    public override void DataReceived(ReadOnlySpan<byte> data) => _text.Append(Encoding.ASCII.GetString(data));

    /// <inheritdoc/>
    public override void ConnectionLost(Failure reason)
    {
        base.ConnectionLost(reason);
        done(_text.ToString(), _file);
    }
}
#endregion

/// <summary>The UNIX guide's set-up code.</summary>
public static class UnixSamples
{
    /// <summary>Serves <paramref name="file"/> at <paramref name="socketPath"/> and connects a client to it.</summary>
    public static IListeningPort ServeAndFetch(ReactorLoop reactor, string socketPath, string file, Action<string, string> done)
    {
        #region listen
        // Mode 0600: only this user may connect. wantPid: a lock file keeps a second server out
        // and lets the next start remove a socket file a crashed server left behind.
        var port = reactor.ListenUnix(socketPath, Factory.ForProtocol(() => new HandOutFile(file)),
            mode: UnixFileMode.UserRead | UnixFileMode.UserWrite, wantPid: true);
        reactor.ConnectUnix(socketPath, new ClientFactory(() => new ReadHandedFile(done)));
        #endregion
        return port;
    }
}
