using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Net.Internal;

/// <summary>
/// Converts between <see cref="IPEndPoint"/> and the kernel's <c>sockaddr_in</c> /
/// <c>sockaddr_in6</c> (Linux: 16-bit family first; BSD: a length byte, then an 8-bit family).
/// </summary>
internal static class SocketAddressCodec
{
    /// <summary>Large enough for <c>sockaddr_in6</c> (28 bytes) on every platform.</summary>
    public const int MaxLength = 28;

    private static readonly bool Linux = NativePlatform.IsLinux;

    /// <summary>Writes <paramref name="endPoint"/> into <paramref name="buffer"/>; returns the length used.</summary>
    public static int Write(IPEndPoint endPoint, Span<byte> buffer)
    {
        buffer[..MaxLength].Clear();
        var v6 = endPoint.AddressFamily == AddressFamily.InterNetworkV6;
        var length = v6 ? 28 : 16;
        WriteFamily(buffer, v6 ? NativeConstants.AF_INET6 : NativeConstants.AF_INET, length);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)endPoint.Port);
        if (v6)
        {
            // sin6_flowinfo stays 0; sin6_addr at 8; sin6_scope_id at 24.
            endPoint.Address.TryWriteBytes(buffer.Slice(8, 16), out _);
            // sin6_scope_id is in host byte order.
            BitConverter.TryWriteBytes(buffer[24..], (uint)endPoint.Address.ScopeId);
        }
        else
        {
            endPoint.Address.TryWriteBytes(buffer.Slice(4, 4), out _);
        }
        return length;
    }

    /// <summary>Reads an <see cref="IPEndPoint"/> from a <c>sockaddr</c> the kernel filled in.</summary>
    /// <exception cref="NotSupportedException">The address is neither IPv4 nor IPv6.</exception>
    public static IPEndPoint Read(ReadOnlySpan<byte> buffer)
    {
        int family = Linux ? BitConverter.ToUInt16(buffer) : buffer[1];
        var port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        if (family == NativeConstants.AF_INET) return new IPEndPoint(new IPAddress(buffer.Slice(4, 4)), port);
        if (family == NativeConstants.AF_INET6)
        {
            var scope = BitConverter.ToUInt32(buffer[24..]);
            return new IPEndPoint(new IPAddress(buffer.Slice(8, 16), scope), port);
        }
        throw new NotSupportedException($"Address family {family} is not an IP family.");
    }

    private static void WriteFamily(Span<byte> buffer, int family, int length)
    {
        if (Linux)
        {
            BitConverter.TryWriteBytes(buffer, (ushort)family);
        }
        else
        {
            buffer[0] = (byte)length;
            buffer[1] = (byte)family;
        }
    }
}
