using Reactor.Errors;
using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Protocols;

namespace Reactor.Net.Stream;

internal abstract partial class StreamTransport
{
    /// <summary>
    /// The socket is readable: one recv into the reactor's shared buffer, handed to the protocol.
    /// The connection ends here (never through the return value, see <see cref="Disconnect"/>) on
    /// the peer's FIN (<see cref="ConnectionDone"/>), an OS error (<see cref="ConnectionLost"/>
    /// carrying it), or an exception the protocol threw (that exception).
    /// </summary>
    public Exception? DoRead()
    {
        var reason = ReadOnce();
        if (reason is not null) Disconnect(reason);
        return null;
    }

    private unsafe Exception? ReadOnce()
    {
        // A readiness report that raced with PauseProducing, or a closing connection still registered.
        if (!_reading || _disconnecting || _aborting) return null;
        var buffer = Host.ReadBuffer;
        nint received;
        Errno errno;
        // The buffer is pinned (pinned object heap): fixing it costs nothing.
        fixed (byte* p = buffer)
        {
            received = Syscalls.Recv(_fd, p, buffer.Length, out errno);
        }

        if (received > 0)
        {
            _counters.BytesReceived += received;
            try
            {
                _protocol.DataReceived(new ReadOnlySpan<byte>(buffer, 0, (int)received));
            }
            catch (Exception ex)
            {
                LogUserError(ex, "DataReceived");
                return ex;
            }
            return null;
        }
        // EOF after a readiness that carried an error (libkqueue clears SO_ERROR): the error, not a clean close.
        if (received == 0) return Host.CurrentReadiness.ErrorCode is int carried and not 0 ? ConnectionErrorMapping.ForEstablished(new Errno(carried)) : ReadEndOfFile();
        if (errno.IsWouldBlock || errno == Errno.EINTR) return null;
        return ConnectionErrorMapping.ForEstablished(errno);
    }

    /// <summary>
    /// The peer sent FIN. A half-closeable protocol is told with <c>ReadConnectionLost</c> and may
    /// keep writing; any other protocol loses the connection cleanly.
    /// </summary>
    private Exception? ReadEndOfFile()
    {
        if (_protocol is not IHalfCloseableProtocol halfCloseable) return new ConnectionDone();
        _readClosed = true;
        StopReading();
        try
        {
            halfCloseable.ReadConnectionLost();
        }
        catch (Exception ex)
        {
            LogUserError(ex, "ReadConnectionLost");
            return ex;
        }
        // Both directions are now closed: nothing more can happen on this connection.
        return _writeClosed ? new ConnectionDone() : null;
    }

    /// <summary>Stops reading (the transport as a push producer); a peer's close is reported after resuming.</summary>
    public void PauseProducing()
    {
        if (TlsAbove is { } tls)
        {
            tls.PauseProducing();
            return;
        }
        if (!_connected) return;
        _pausedByProtocol = true;
        StopReading();
    }

    /// <summary>Starts reading again after <see cref="PauseProducing"/>.</summary>
    public void ResumeProducing()
    {
        if (TlsAbove is { } tls)
        {
            tls.ResumeProducing();
            return;
        }
        if (!_connected || !_pausedByProtocol) return;
        _pausedByProtocol = false;
        if (MayRead) StartReading();
    }

    /// <summary>Closes the connection (the transport as a producer that is told to stop).</summary>
    public void StopProducing() => LoseConnection();
}
