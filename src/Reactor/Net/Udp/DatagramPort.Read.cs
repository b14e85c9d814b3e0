using System.Net;
using Microsoft.Extensions.Logging;
using Reactor.Native;
using Reactor.Protocols;
using Reactor.Net.Internal;

namespace Reactor.Net.Udp;

internal abstract unsafe partial class DatagramPort
{
    /// <summary>
    /// Turns the sender's <c>sockaddr</c> into the endpoint handed to the protocol (the same
    /// instance for the same sender, where the subclass can manage it).
    /// </summary>
    private protected abstract EndPoint DecodeSender(ReadOnlySpan<byte> address);

    /// <summary>
    /// The socket is readable: delivers up to <see cref="MaxDatagramsPerRead"/> datagrams. Errors
    /// never close the port: ECONNREFUSED goes to <c>ConnectionRefused</c> on a connected port and
    /// anything else is logged (the kernel clears a socket error once it has reported it).
    /// </summary>
    Exception? Core.IReadDescriptor.DoRead()
    {
        for (var i = 0; i < MaxDatagramsPerRead; i++)
        {
            if (!_reading) return null; // StopListening was called from DatagramReceived
            int addressLength = AddressCapacity;
            var received = _syscalls.RecvFrom(_fd, _bufferPointer, _buffer.Length, 0, _addressPointer, &addressLength, out var errno);
            if (received < 0)
            {
                if (errno.IsWouldBlock) return null;
                if (errno == Errno.EINTR) continue;
                if (errno == Errno.ECONNREFUSED)
                {
                    ReportRefused();
                    continue;
                }
                NetLog.ReceiveFromFailed(_host.Logger, Description, errno);
                return null;
            }

            var peer = GetPeer();
            if (received > MaxPacketSize)
            {
                // The buffer has one spare byte, so filling it means the datagram was cut short.
                DroppedOversized++;
                NetLog.DatagramTooLong(_host.Logger, Description,
                    peer ?? DecodeSender(new ReadOnlySpan<byte>(_addressPointer, addressLength)), MaxPacketSize);
                continue;
            }

            var sender = peer ?? DecodeSender(new ReadOnlySpan<byte>(_addressPointer, Math.Min(addressLength, AddressCapacity)));
            try
            {
                Protocol.DatagramReceived(new ReadOnlySpan<byte>(_bufferPointer, (int)received), sender);
            }
            catch (Exception ex)
            {
                LogUserError(ex, "DatagramReceived");
            }
        }
        return null;
    }

    /// <summary>Tells a connected port's protocol that its peer refused (ICMP port unreachable).</summary>
    private protected void ReportRefused()
    {
        if (GetPeer() is null) return; // unconnected: the kernel's report says nothing useful about whom
        try
        {
            Protocol.ConnectionRefused();
        }
        catch (Exception ex)
        {
            LogUserError(ex, "ConnectionRefused");
        }
    }
}
