namespace Reactor.Native;

/// <summary>
/// The system calls of the datagram and UNIX-socket transports: addressed reads and writes and
/// descriptor passing. The default is <see cref="LibcDatagramSyscalls.Instance"/>; tests may pass
/// a fake to inject EMSGSIZE, ECONNREFUSED or EAGAIN without a kernel.
/// </summary>
/// <remarks>
/// As in <see cref="ISyscalls"/>: every member returns the call's result (−1 on failure) and the
/// errno in an <c>out</c> parameter; nothing allocates, throws for an errno, or retries.
/// </remarks>
internal unsafe interface IDatagramSyscalls
{
    /// <summary>
    /// recvfrom(2). <paramref name="address"/> receives the sender's <c>sockaddr</c>;
    /// <paramref name="addressLength"/> is its capacity on entry and its length on return.
    /// </summary>
    nint RecvFrom(int fd, byte* buffer, nint length, int flags, byte* address, int* addressLength, out Errno errno);

    /// <summary>sendto(2), or send(2) when <paramref name="address"/> is null (a connected socket); never raises SIGPIPE.</summary>
    nint SendTo(int fd, byte* buffer, nint length, byte* address, int addressLength, out Errno errno);

    /// <summary>
    /// sendmsg(2) of <paramref name="length"/> bytes carrying <paramref name="descriptorCount"/>
    /// descriptors in one SCM_RIGHTS message; never raises SIGPIPE.
    /// </summary>
    nint SendWithDescriptors(int fd, byte* buffer, nint length, int* descriptors, int descriptorCount, out Errno errno);

    /// <summary>
    /// recvmsg(2) into <paramref name="buffer"/>, collecting up to <paramref name="maxDescriptors"/>
    /// descriptors passed with SCM_RIGHTS (close-on-exec where the OS allows it).
    /// <paramref name="controlTruncated"/> says the kernel had more descriptors than room (it closed those).
    /// </summary>
    nint ReceiveWithDescriptors(int fd, byte* buffer, nint length, int* descriptors, int maxDescriptors,
        out int descriptorCount, out bool controlTruncated, out Errno errno);
}
