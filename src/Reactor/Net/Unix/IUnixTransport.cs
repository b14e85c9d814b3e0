using Reactor.Protocols;

namespace Reactor.Net.Unix;

/// <summary>
/// A UNIX stream connection (Twisted's <c>IUNIXTransport</c>): a stream transport that can also
/// copy open file descriptors to the peer process and tells who that process is.
/// </summary>
public interface IUnixTransport : IStreamTransport
{
    /// <summary>
    /// Queues <paramref name="fileDescriptor"/> to be copied to the peer (SCM_RIGHTS). It travels
    /// with the next byte written after it, so write at least one byte per descriptor; the peer's
    /// protocol (an <see cref="IFileDescriptorReceiver"/>) receives its copy just before that byte.
    /// The descriptor is duplicated at once: the caller still owns its own and may close it right
    /// after this call; the copy is closed once sent, or when the connection ends unsent.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fileDescriptor"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="fileDescriptor"/> is not an open descriptor.</exception>
    /// <exception cref="InvalidOperationException">The connection is closed.</exception>
    void SendFileDescriptor(int fileDescriptor);

    /// <summary>
    /// The peer process's credentials as the kernel recorded them when the connection was made
    /// (SO_PEERCRED on Linux; LOCAL_PEERCRED / LOCAL_PEERPID on macOS).
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection is closed.</exception>
    /// <exception cref="PlatformNotSupportedException">The OS does not report peer credentials.</exception>
    UnixCredentials GetPeerCredentials();
}

/// <summary>A protocol that accepts file descriptors sent over a UNIX connection (Twisted's <c>IFileDescriptorReceiver</c>).</summary>
/// <remarks>
/// Without this interface, received descriptors are closed (and the fact is logged). The
/// descriptor received is a new one in this process, close-on-exec; the protocol owns it and must close it,
/// unless <see cref="FileDescriptorReceived"/> throws: then the transport closes it.
/// </remarks>
public interface IFileDescriptorReceiver
{
    /// <summary>A descriptor arrived; it is delivered before the bytes sent with it reach <c>DataReceived</c>.</summary>
    void FileDescriptorReceived(int fileDescriptor);
}

/// <summary>Who the process at the other end of a UNIX connection is.</summary>
/// <param name="ProcessId">The peer's pid (0 where the OS does not say).</param>
/// <param name="UserId">The peer's effective uid.</param>
/// <param name="GroupId">The peer's effective gid.</param>
public readonly record struct UnixCredentials(int ProcessId, uint UserId, uint GroupId);
