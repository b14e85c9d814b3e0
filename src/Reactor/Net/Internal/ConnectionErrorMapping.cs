using System.Net.Sockets;
using Reactor.Errors;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>Turns a failed socket call into the typed reason a factory or protocol receives.</summary>
internal static class ConnectionErrorMapping
{
    /// <summary>
    /// Why a connection attempt failed: <see cref="ConnectionRefusedError"/> for ECONNREFUSED,
    /// <see cref="TimeoutError"/> for ETIMEDOUT, another <see cref="ConnectError"/> otherwise; the
    /// OS error is the inner <see cref="SocketException"/>.
    /// </summary>
    public static ConnectError ForConnect(Errno errno)
    {
        var os = errno.ToSocketException();
        return os.SocketErrorCode switch
        {
            SocketError.ConnectionRefused => new ConnectionRefusedError(inner: os),
            SocketError.TimedOut => new TimeoutError($"Connection attempt timed out in the kernel: {os.Message}", os),
            _ => new ConnectError($"An error occurred while connecting: {os.Message}", os),
        };
    }

    /// <summary>
    /// Why an established connection ended on an OS error (ECONNRESET, EPIPE, ETIMEDOUT, ...):
    /// a <see cref="ConnectionLost"/> carrying the OS error as its inner <see cref="SocketException"/>.
    /// </summary>
    public static ConnectionLost ForEstablished(Errno errno)
    {
        var os = errno.ToSocketException();
        return new ConnectionLost($"Connection to the other side was lost: {os.Message}", os);
    }
}
