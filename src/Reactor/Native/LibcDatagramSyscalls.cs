namespace Reactor.Native;

/// <summary>
/// <see cref="IDatagramSyscalls"/> over libc. The <c>msghdr</c> and <c>cmsghdr</c> layouts differ
/// between Linux (size_t lengths, 16-byte cmsg header) and the BSDs (32-bit lengths, 12-byte
/// header; data aligned to 4 on macOS, to 8 on FreeBSD), so they are written by hand here
/// rather than declared as one struct.
/// </summary>
internal sealed unsafe class LibcDatagramSyscalls : IDatagramSyscalls
{
    /// <summary>The process-wide instance.</summary>
    public static readonly LibcDatagramSyscalls Instance = new();

    // msghdr: Linux LP64 is {name@0, namelen@8, iov@16, size_t iovlen@24, control@32, size_t controllen@40, flags@48};
    // Darwin and FreeBSD are the same up to iov, then {int iovlen@24, control@32, socklen_t controllen@40, flags@44}.
    private const int MessageHeaderSize = 56;
    private static readonly bool LinuxLayout = NativePlatform.IsLinux;
    private static readonly int CmsgHeaderSize = LinuxLayout ? 16 : 12;
    private static readonly int CmsgAlignment = NativePlatform.IsMacOS ? 4 : 8;
    private static readonly int CmsgDataOffset = Align(CmsgHeaderSize);

    /// <summary>The most descriptors one read collects; more than this in one message are closed by the kernel (MSG_CTRUNC).</summary>
    public const int MaxDescriptorsPerMessage = 64;

    private LibcDatagramSyscalls() { }

    /// <inheritdoc/>
    public nint RecvFrom(int fd, byte* buffer, nint length, int flags, byte* address, int* addressLength, out Errno errno)
    {
        var result = LibC.RecvFrom(fd, buffer, length, flags, address, addressLength);
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return result;
    }

    /// <inheritdoc/>
    public nint SendTo(int fd, byte* buffer, nint length, byte* address, int addressLength, out Errno errno)
    {
        var result = LibC.SendTo(fd, buffer, length, NativeConstants.MSG_NOSIGNAL, address, address is null ? 0 : addressLength);
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return result;
    }

    /// <inheritdoc/>
    public nint SendWithDescriptors(int fd, byte* buffer, nint length, int* descriptors, int descriptorCount, out Errno errno)
    {
        if (descriptorCount is < 1 or > MaxDescriptorsPerMessage) throw new ArgumentOutOfRangeException(nameof(descriptorCount));
        var payload = descriptorCount * sizeof(int);
        var controlLength = Align(CmsgDataOffset + payload);
        var control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        WriteCmsgHeader(control, CmsgDataOffset + payload, NativeConstants.SOL_SOCKET, DatagramConstants.SCM_RIGHTS);
        new ReadOnlySpan<int>(descriptors, descriptorCount).CopyTo(new Span<int>(control + CmsgDataOffset, descriptorCount));

        var vector = new IoVec(buffer, (nuint)length);
        var header = stackalloc byte[MessageHeaderSize];
        WriteMessageHeader(header, &vector, control, controlLength);
        var result = LibC.SendMsg(fd, header, NativeConstants.MSG_NOSIGNAL);
        errno = result < 0 ? Errno.FromLastPInvokeError() : Errno.Success;
        return result;
    }

    /// <inheritdoc/>
    public nint ReceiveWithDescriptors(int fd, byte* buffer, nint length, int* descriptors, int maxDescriptors,
        out int descriptorCount, out bool controlTruncated, out Errno errno)
    {
        descriptorCount = 0;
        controlTruncated = false;
        var controlLength = Align(CmsgDataOffset + MaxDescriptorsPerMessage * sizeof(int));
        var control = stackalloc byte[controlLength];
        var vector = new IoVec(buffer, (nuint)length);
        var header = stackalloc byte[MessageHeaderSize];
        WriteMessageHeader(header, &vector, control, controlLength);

        var result = LibC.RecvMsg(fd, header, DatagramConstants.MSG_CMSG_CLOEXEC);
        if (result < 0)
        {
            errno = Errno.FromLastPInvokeError();
            return result;
        }
        errno = Errno.Success;

        var flags = *(int*)(header + (LinuxLayout ? 48 : 44));
        controlTruncated = (flags & DatagramConstants.MSG_CTRUNC) != 0;
        var received = LinuxLayout ? (int)*(nuint*)(header + 40) : (int)*(uint*)(header + 40);

        // Walk every cmsghdr: a sender may split descriptors over several SCM_RIGHTS messages.
        var offset = 0;
        while (offset + CmsgHeaderSize <= received)
        {
            var cmsg = control + offset;
            var cmsgLength = LinuxLayout ? (int)*(nuint*)cmsg : (int)*(uint*)cmsg;
            var level = *(int*)(cmsg + (LinuxLayout ? 8 : 4));
            var type = *(int*)(cmsg + (LinuxLayout ? 12 : 8));
            if (cmsgLength < CmsgHeaderSize || offset + cmsgLength > received) break;
            if (level == NativeConstants.SOL_SOCKET && type == DatagramConstants.SCM_RIGHTS)
            {
                var count = (cmsgLength - CmsgDataOffset) / sizeof(int);
                var data = (int*)(cmsg + CmsgDataOffset);
                for (var i = 0; i < count; i++)
                {
                    // More than the caller can hold: close the surplus rather than leak it.
                    if (descriptorCount < maxDescriptors) descriptors[descriptorCount++] = data[i];
                    else
                    {
                        LibC.Close(data[i]);
                        controlTruncated = true;
                    }
                }
            }
            offset += Align(cmsgLength);
        }
        return result;
    }

    private static int Align(int length) => (length + CmsgAlignment - 1) & ~(CmsgAlignment - 1);

    private static void WriteCmsgHeader(byte* cmsg, int length, int level, int type)
    {
        if (LinuxLayout)
        {
            *(nuint*)cmsg = (nuint)length;
            *(int*)(cmsg + 8) = level;
            *(int*)(cmsg + 12) = type;
        }
        else
        {
            *(uint*)cmsg = (uint)length;
            *(int*)(cmsg + 4) = level;
            *(int*)(cmsg + 8) = type;
        }
    }

    private static void WriteMessageHeader(byte* header, IoVec* vector, byte* control, int controlLength)
    {
        new Span<byte>(header, MessageHeaderSize).Clear();
        *(IoVec**)(header + 16) = vector;
        *(byte**)(header + 32) = control;
        if (LinuxLayout)
        {
            *(nuint*)(header + 24) = 1;
            *(nuint*)(header + 40) = (nuint)controlLength;
        }
        else
        {
            *(int*)(header + 24) = 1;
            *(uint*)(header + 40) = (uint)controlLength;
        }
    }
}
