using System.Net;
using Reactor.Errors;
using Reactor.Native;

namespace Reactor.Net.Udp;

internal abstract unsafe partial class DatagramPort
{
    /// <summary>Room for the largest <c>sockaddr</c> a destination is written into.</summary>
    private protected const int MaxDestinationLength = AddressCapacity;

    /// <summary>
    /// Checks <paramref name="to"/> is an address this port can send to and writes it as a
    /// <c>sockaddr</c> into <paramref name="address"/>; returns its length.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is of the wrong kind or family.</exception>
    private protected abstract int EncodeDestination(EndPoint to, Span<byte> address);

    /// <summary>The largest datagram the path allows as far as this socket knows, for the error message.</summary>
    private protected abstract int DatagramLimit(int attemptedSize);

    /// <inheritdoc/>
    public bool Write(ReadOnlySpan<byte> datagram, EndPoint to)
    {
        ArgumentNullException.ThrowIfNull(to);
        ThrowIfClosed();
        var peer = GetPeer();
        if (peer is not null)
        {
            if (!peer.Equals(to)) throw new ArgumentException($"This port is connected to {peer}; it cannot send to {to}.", nameof(to));
            return Send(datagram, default, to);
        }
        Span<byte> address = stackalloc byte[MaxDestinationLength];
        var length = EncodeDestination(to, address);
        return Send(datagram, address[..length], to);
    }

    /// <inheritdoc/>
    public bool Write(ReadOnlySpan<byte> datagram)
    {
        ThrowIfClosed();
        var peer = GetPeer() ?? throw new InvalidOperationException($"{Description} is not connected: give the destination to Write.");
        return Send(datagram, default, peer);
    }

    private bool Send(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> address, EndPoint to)
    {
        Host.CheckReactorThread(nameof(Write));
        while (true)
        {
            nint sent;
            Errno errno;
            fixed (byte* data = datagram)
            fixed (byte* sockaddr = address)
            {
                // An empty span fixes to null: send(2) on the connected socket.
                sent = _syscalls.SendTo(_fd, data, datagram.Length, address.IsEmpty ? null : sockaddr, address.Length, out errno);
            }
            if (sent >= 0) return true;
            if (errno == Errno.EINTR) continue;
            if (errno.IsWouldBlock || errno == Errno.ENOBUFS)
            {
                DroppedWrites++;
                return false;
            }
            if (errno == Errno.EMSGSIZE) throw new MessageLengthError(datagram.Length, DatagramLimit(datagram.Length), to);
            if (errno == Errno.ECONNREFUSED)
            {
                // An earlier datagram drew an ICMP port-unreachable; this one was not sent.
                ReportRefused();
                return false;
            }
            throw errno.ToSocketException();
        }
    }
}
