using System.Net;
using System.Net.Sockets;

namespace Reactor.Net.Unix;

/// <summary>
/// Turns the <c>sockaddr_un</c> a UNIX datagram read reports into an endpoint, and an endpoint
/// into a <c>sockaddr_un</c> for sendto, remembering the last few so that a conversation with
/// the same peers allocates nothing per datagram.
/// </summary>
/// <remarks>
/// Peers are few on a UNIX socket (local processes), so a small table searched linearly beats a
/// hash: <see cref="Capacity"/> entries, the oldest replaced first.
/// </remarks>
internal sealed class UnixEndPointCodec
{
    /// <summary>How many peers are remembered.</summary>
    public const int Capacity = 16;

    private readonly Entry[] _entries = new Entry[Capacity];
    private int _count;
    private int _next;

    /// <summary>The endpoint for the <c>sockaddr_un</c> in <paramref name="address"/>.</summary>
    public EndPoint Decode(ReadOnlySpan<byte> address)
    {
        // Two bytes of family and nothing else: the sender never bound a name.
        if (address.Length <= 2) return UnnamedUnixEndPoint.Instance;
        for (var i = 0; i < _count; i++)
        {
            if (address.SequenceEqual(_entries[i].Address)) return _entries[i].EndPoint;
        }
        var socketAddress = new SocketAddress(AddressFamily.Unix, address.Length);
        address.CopyTo(socketAddress.Buffer.Span);
        var endPoint = (UnixDomainSocketEndPoint)new UnixDomainSocketEndPoint("/").Create(socketAddress);
        Remember(address.ToArray(), endPoint);
        return endPoint;
    }

    /// <summary>Writes <paramref name="endPoint"/> as a <c>sockaddr_un</c>; returns its length.</summary>
    /// <exception cref="ArgumentException">The buffer is too small for it.</exception>
    public int Encode(UnixDomainSocketEndPoint endPoint, Span<byte> buffer)
    {
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_entries[i].EndPoint, endPoint)) return Copy(_entries[i].Address, buffer);
        }
        var socketAddress = endPoint.Serialize();
        var bytes = socketAddress.Buffer.Span[..socketAddress.Size].ToArray();
        Remember(bytes, endPoint);
        return Copy(bytes, buffer);
    }

    private static int Copy(byte[] address, Span<byte> buffer)
    {
        if (address.Length > buffer.Length) throw new ArgumentException("The UNIX socket address is too long.", nameof(buffer));
        address.CopyTo(buffer);
        return address.Length;
    }

    private void Remember(byte[] address, EndPoint endPoint)
    {
        _entries[_next] = new Entry(address, endPoint);
        _next = (_next + 1) % Capacity;
        if (_count < Capacity) _count++;
    }

    private readonly record struct Entry(byte[] Address, EndPoint EndPoint);
}
