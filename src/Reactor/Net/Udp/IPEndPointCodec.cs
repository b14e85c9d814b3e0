using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Net.Udp;

/// <summary>
/// Turns the <c>sockaddr_in</c> / <c>sockaddr_in6</c> that recvfrom fills in into an
/// <see cref="IPEndPoint"/> without allocating for a sender seen before, and writes an
/// <see cref="IPEndPoint"/> into a <c>sockaddr</c> for sendto without allocating at all.
/// </summary>
/// <remarks>
/// Each distinct sender gets one <see cref="IPEndPoint"/> instance, kept in a table keyed by
/// address, port and scope, so a protocol can use it as a dictionary key and a busy port
/// allocates nothing per datagram. The table holds at most <see cref="Capacity"/> senders; when a
/// new one would exceed that, it is cleared and refilled, so a scan from many sources costs one
/// allocation per datagram rather than unbounded memory.
/// </remarks>
internal sealed class IPEndPointCodec
{
    /// <summary>Room for <c>sockaddr_in6</c> (28 bytes) with spare, on every OS.</summary>
    public const int MaxSocketAddressLength = 32;

    /// <summary>The most senders remembered at once.</summary>
    public const int Capacity = 4096;

    private static readonly bool LinuxLayout = NativePlatform.IsLinux;
    private readonly Dictionary<Key, IPEndPoint> _senders = new();

    /// <summary>How many senders are remembered now.</summary>
    public int Count => _senders.Count;

    /// <summary>The endpoint for the <c>sockaddr</c> in <paramref name="address"/>, or null if it is not IPv4/IPv6.</summary>
    public IPEndPoint? Decode(ReadOnlySpan<byte> address)
    {
        if (address.Length < 4) return null;
        int family = LinuxLayout ? BinaryPrimitives.ReadUInt16LittleEndian(address) : address[1];
        var port = BinaryPrimitives.ReadUInt16BigEndian(address[2..]);
        Key key;
        if (family == NativeConstants.AF_INET && address.Length >= 8)
        {
            key = new Key(BinaryPrimitives.ReadUInt32LittleEndian(address[4..]), 0, 0, port, false);
        }
        else if (family == NativeConstants.AF_INET6 && address.Length >= 28)
        {
            key = new Key(
                BinaryPrimitives.ReadUInt64LittleEndian(address[8..]),
                BinaryPrimitives.ReadUInt64LittleEndian(address[16..]),
                BinaryPrimitives.ReadUInt32LittleEndian(address[24..]),
                port,
                true);
        }
        else
        {
            return null;
        }

        if (_senders.TryGetValue(key, out var known)) return known;
        if (_senders.Count >= Capacity) _senders.Clear();
        var endPoint = key.V6
            ? new IPEndPoint(new IPAddress(address.Slice(8, 16), key.ScopeId), port)
            : new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
        _senders.Add(key, endPoint);
        return endPoint;
    }

    /// <summary>Writes <paramref name="endPoint"/> as a <c>sockaddr</c>; returns its length.</summary>
    public static int Encode(IPEndPoint endPoint, Span<byte> buffer)
    {
        var v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        var length = v6 ? 28 : 16;
        buffer[..length].Clear();
        if (LinuxLayout)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(buffer, (ushort)(v6 ? NativeConstants.AF_INET6 : NativeConstants.AF_INET));
        }
        else
        {
            buffer[0] = (byte)length;
            buffer[1] = (byte)(v6 ? NativeConstants.AF_INET6 : NativeConstants.AF_INET);
        }
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)endPoint.Port);
        if (v6)
        {
            endPoint.Address.TryWriteBytes(buffer.Slice(8, 16), out _);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[24..], (uint)endPoint.Address.ScopeId);
        }
        else
        {
            endPoint.Address.TryWriteBytes(buffer.Slice(4, 4), out _);
        }
        return length;
    }

    // The raw address words (in whatever byte order the kernel gave them: only equality matters),
    // the IPv6 scope and the port.
    private readonly record struct Key(ulong High, ulong Low, uint ScopeId, ushort Port, bool V6);
}
