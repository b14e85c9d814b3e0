using Reactor.Native;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The real kernel's io_uring, with a window on what crosses it: before each io_uring_enter the
/// SQEs about to be submitted are copied out of the shared submission queue, and after it (or when
/// a test asks) every completion posted since the last look is copied out of the completion queue
/// (one the selector already read is still in the ring's memory, which wraps only after 4,096
/// entries, far beyond a test's traffic). Lets a test assert what user data the backend hands to the kernel and
/// what comes back, without changing the backend — or, through <see cref="Edit"/>, make the kernel
/// see a request as an older kernel's caller would have sent it.
/// </summary>
internal sealed unsafe class RecordingIoUring : IIoUringSyscalls
{
    private readonly IIoUringSyscalls _kernel = LibcIoUringSyscalls.Instance;
    private IoUringParams _params;
    private byte* _ring;
    private IoUringSqe* _sqes;
    private uint _cqSeen; // completions copied so far (a new ring's queue starts at 0)

    /// <summary>One submitted request, as the kernel read it.</summary>
    public readonly record struct Submission(byte Opcode, int Fd, ulong Addr, ulong UserData);

    /// <summary>One posted completion.</summary>
    public readonly record struct Completion(ulong UserData, int Res);

    /// <summary>Changes an SQE just before the kernel reads it (null: none).</summary>
    public delegate void SubmissionEdit(IoUringSqe* sqe);

    /// <summary>Applied to every SQE before it is submitted and recorded.</summary>
    public SubmissionEdit? Edit { get; set; }

    /// <summary>Every request submitted so far, in order.</summary>
    public List<Submission> Submitted { get; } = [];

    /// <summary>Every completion posted so far, in order.</summary>
    public List<Completion> Completed { get; } = [];

    public int Setup(uint entries, IoUringParams* parameters)
    {
        int fd = _kernel.Setup(entries, parameters);
        if (fd >= 0) _params = *parameters;
        return fd;
    }

    public int Enter(int ringFd, uint toSubmit, uint minComplete, uint flags, void* argument, nuint argumentSize)
    {
        uint head = Volatile.Read(ref *(uint*)(_ring + _params.SqOff.Head));
        uint mask = *(uint*)(_ring + _params.SqOff.RingMask);
        var array = (uint*)(_ring + _params.SqOff.Array);
        for (uint i = 0; i < toSubmit; i++)
        {
            IoUringSqe* sqe = &_sqes[array[(head + i) & mask]];
            Edit?.Invoke(sqe);
            Submitted.Add(new Submission(sqe->Opcode, sqe->Fd, sqe->Addr, sqe->UserData));
        }

        int result = _kernel.Enter(ringFd, toSubmit, minComplete, flags, argument, argumentSize);
        CopyCompletions();
        return result;
    }

    /// <summary>
    /// Copies the completions posted since the last copy into <see cref="Completed"/>: done after
    /// every enter, and by a test before it looks (the kernel may post between enters, and the
    /// selector then reads them without entering).
    /// </summary>
    public void CopyCompletions()
    {
        uint tail = Volatile.Read(ref *(uint*)(_ring + _params.CqOff.Tail));
        uint cqMask = *(uint*)(_ring + _params.CqOff.RingMask);
        var cqes = (IoUringCqe*)(_ring + _params.CqOff.Cqes);
        for (; _cqSeen != tail; _cqSeen++)
        {
            IoUringCqe* cqe = &cqes[_cqSeen & cqMask];
            Completed.Add(new Completion(cqe->UserData, cqe->Res));
        }
    }

    public int Register(int ringFd, uint opcode, void* argument, uint count) => _kernel.Register(ringFd, opcode, argument, count);

    public void* Map(int ringFd, nuint length, long offset, out Errno errno)
    {
        void* address = _kernel.Map(ringFd, length, offset, out errno);
        if (offset == IoUringAbi.OffSqRing) _ring = (byte*)address;
        else if (offset == IoUringAbi.OffSqes) _sqes = (IoUringSqe*)address;
        return address;
    }

    public void Unmap(void* address, nuint length) => _kernel.Unmap(address, length);

    public void* MapBuffers(nuint length, out Errno errno) => _kernel.MapBuffers(length, out errno);
}
