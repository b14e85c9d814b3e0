using Reactor.Native;
using static Reactor.Native.IoUringAbi;
using Operation = Reactor.Selectors.IoUring.CompletionKey.Operation;

namespace Reactor.Selectors.IoUring;

/// <summary>
/// The completion side of the io_uring backend: descriptors <em>claimed</em> here are not polled
/// for reading; the kernel reads for them. A connected stream socket gets a multishot RECV that
/// fills buffers of the shared <see cref="ProvidedBufferRing"/>; a listening socket gets a
/// multishot ACCEPT. Results are held per descriptor, in order, and the selector reports the
/// descriptor readable while its registration asks for reading and something is held; the
/// transport then takes them (<see cref="TakeReceived"/>, <see cref="TakeAccepted"/>) instead of
/// calling recv(2) or accept4(2).
/// </summary>
/// <remarks>
/// <para>Pausing (the registration stops asking for reading) cancels the multishot; results
/// that were already on their way are held, never dropped, and reported once reading is asked
/// for again. What one descriptor holds is bounded: each multishot RECV carries a total byte
/// limit (<see cref="ReceiveLimit"/>; the kernel ends it once that much arrived) and is armed
/// again only after everything it brought was taken, so a descriptor never holds more than
/// <see cref="ReceiveLimit"/> plus one buffer, paused or not, however fast its peer sends. A
/// receive that found the buffer ring empty ends with ENOBUFS (the data stays in the
/// socket): it is armed again as soon as a buffer is back. Releasing a descriptor (before its
/// close) cancels what is armed, returns held buffers (closes held accepted sockets) and moves to
/// a new generation, so completions still on their way are recognised and dropped.</para>
/// <para>Nothing here allocates in steady state: per-descriptor state lives in an array indexed by
/// descriptor number and is reused by the next claim of that number.</para>
/// </remarks>
internal sealed unsafe partial class CompletionStreams : IDisposable
{
    /// <summary>Buffers in the ring by default (a power of two).</summary>
    public const int DefaultBufferCount = 256;

    /// <summary>
    /// Bytes per buffer by default: one completion carries at most this much. 64 KiB, like the
    /// readiness path's read buffer: a 64 KiB message arrives as one completion (at 32 KiB, bulk
    /// echo cost two completions, two protocol calls and a gathered send per message).
    /// </summary>
    public const int DefaultBufferSize = 64 * 1024;

    /// <summary>
    /// Buffers' worth of bytes one multishot RECV may bring before it ends and must be armed again:
    /// the bound on what a paused (or not yet served) connection holds is this many buffers plus
    /// one. Four keeps re-arming rare (once per 256 KiB of bulk; never, in practice, for small
    /// messages) while a paused connection holds at most 320 KiB of the 16 MiB ring.
    /// </summary>
    public const int DefaultReceiveLimitBuffers = 4;

    private const ushort GroupId = 0;
    private const ulong IgnoredCompletion = 1UL << 62; // the selector's "drop this CQE" kind

    private readonly IoUringRing _ring;
    private readonly ISyscalls _syscalls;
    private readonly int _bufferCount;
    private readonly int _bufferSize;
    private ProvidedBufferRing? _buffers;
    private string? _buffersRefused;
    private Claim[] _claims = new Claim[64];
    private int[] _ready = new int[64];
    private int[] _delivering = new int[64];
    private int _readyCount;
    private int[] _toArm = new int[64];
    private int _toArmCount;
    private int _outstanding; // multishot requests in the kernel, of every generation
    private readonly int _receiveLimit;
    private bool _multishotReceive; // false: the kernel refused the byte limit (before 6.17), one-shot RECVs instead
    private bool _receiveLimitTaken;       // a limited multishot RECV has delivered: the kernel knows the limit

    private struct Claim
    {
        public bool Claimed;
        public Operation Op;
        public uint Generation;
        public long Token;
        public bool Wanted;      // the registration asks for reading
        public bool Armed;       // this generation's multishot is in the kernel (until its final completion)
        public bool CancelSent;
        public bool ArmQueued;
        public bool Listed;      // in _ready
        public bool Delivered;   // results go to the receiver, not into selector reports
        public int End;          // receive: 0 none, 1 end of file, negative = -errno (after the held data)
        public long[] Held;      // receive: bid << 32 | length (bid SpilledBuffer: the bytes are in Spill); accept: the descriptor, or -errno
        public byte[]? Spill;    // receive: held bytes copied out of the ring while paused, oldest first (pooled)
        public int HeldHead;
        public int HeldCount;
    }

    /// <summary>
    /// Creates the completion side of <paramref name="ring"/>; the buffer ring is registered at the
    /// first stream claim. <paramref name="receiveLimit"/> is the byte limit of one multishot RECV
    /// (0: <see cref="DefaultReceiveLimitBuffers"/> buffers). <paramref name="multishotReceive"/> false
    /// starts in the one-shot mode older kernels fall back to (tests).
    /// </summary>
    public CompletionStreams(IoUringRing ring, ISyscalls syscalls, int bufferCount = DefaultBufferCount, int bufferSize = DefaultBufferSize, int receiveLimit = 0, bool multishotReceive = true)
    {
        _multishotReceive = multishotReceive;
        ArgumentOutOfRangeException.ThrowIfNegative(receiveLimit);
        _ring = ring;
        _syscalls = syscalls;
        _bufferCount = bufferCount;
        _bufferSize = bufferSize;
        _receiveLimit = receiveLimit > 0 ? receiveLimit : DefaultReceiveLimitBuffers * bufferSize;
    }

    /// <summary>
    /// The bytes one multishot RECV may bring before the kernel ends it. A descriptor holds at most
    /// this plus one buffer (<see cref="MaxHeldBytes"/>).
    /// </summary>
    public int ReceiveLimit => _receiveLimit;

    /// <summary>
    /// The most bytes one claimed descriptor can hold: one receive's limit plus the last buffer that
    /// crossed it (the kernel checks the limit after each buffer is filled). On kernels without the
    /// limit (EINVAL, before Linux 6.17) receives are one-shot and the bound is one buffer.
    /// </summary>
    public int MaxHeldBytes => _receiveLimit + _bufferSize;

    /// <summary>
    /// False once the kernel refused the multishot byte limit: receives are then one-shot (one
    /// buffer per submission), which keeps the same bound at the cost of one submission per read.
    /// </summary>
    public bool MultishotReceive => _multishotReceive;

    /// <summary>The provided-buffer ring, once a stream was claimed (null before, or where the kernel refused it).</summary>
    public ProvidedBufferRing? Buffers => _buffers;

    /// <summary>
    /// True if something held waits to be reported (the selector must not block). Drops listed
    /// descriptors that were emptied or paused since the last report, so a descriptor whose results
    /// were all taken costs no extra trip to the kernel.
    /// </summary>
    public bool AnyReady()
    {
        int kept = 0;
        for (int i = 0; i < _readyCount; i++)
        {
            int fd = _ready[i];
            ref Claim c = ref _claims[fd];
            if (c.Claimed && c.Wanted && (c.HeldCount > 0 || c.End != 0)) _ready[kept++] = fd;
            else c.Listed = false;
        }
        _readyCount = kept;
        return kept > 0;
    }

    /// <summary>How many receives ended because the buffer ring was empty (each was armed again once a buffer came back).</summary>
    public long Starvations { get; private set; }

    /// <summary>Results held for claimed <paramref name="fd"/> and not yet taken.</summary>
    public int HeldCount(int fd) => IsClaimed(fd) ? _claims[fd].HeldCount : 0;

    /// <summary>Bytes held for claimed stream <paramref name="fd"/> and not yet taken (at most <see cref="MaxHeldBytes"/>).</summary>
    public long HeldBytes(int fd) => IsClaimed(fd) && _claims[fd].Op == Operation.Receive ? HeldBytesOf(ref _claims[fd]) : 0;

    private static long HeldBytesOf(ref Claim c)
    {
        long bytes = 0;
        for (int i = 0; i < c.HeldCount; i++) bytes += (uint)c.Held[(c.HeldHead + i) % c.Held.Length];
        return bytes;
    }

    /// <summary>True if <paramref name="fd"/> is claimed (its reading is done by completions).</summary>
    public bool IsClaimed(int fd) => (uint)fd < (uint)_claims.Length && _claims[fd].Claimed;

    /// <summary>
    /// Claims connected stream socket <paramref name="fd"/> for multishot receives. False (and the
    /// descriptor stays a readiness one) where the kernel refused the provided-buffer ring.
    /// Claim before registering the descriptor with the selector.
    /// </summary>
    public bool TryClaimReceive(int fd)
    {
        if (!TryRegisterBuffers(out _)) return false;
        ClaimAs(fd, Operation.Receive);
        return true;
    }

    /// <summary>
    /// Registers the provided-buffer ring now if it is not yet (false, with the kernel's refusal,
    /// where it cannot be: then stream sockets stay on the readiness path).
    /// </summary>
    public bool TryRegisterBuffers(out string? whyNot)
    {
        if (_buffers is null && _buffersRefused is null)
        {
            _buffers = ProvidedBufferRing.TryCreate(_ring, GroupId, _bufferCount, _bufferSize, out _buffersRefused);
        }
        whyNot = _buffersRefused;
        return _buffers is not null;
    }

    /// <summary>
    /// Claims connected stream socket <paramref name="fd"/> for multishot receives whose results go to
    /// <see cref="Receiver"/> (<see cref="ICompletionReceiver.Received"/>) rather than into selector
    /// reports: the descriptor is not registered with the selector at all.
    /// Call <see cref="TryRegisterBuffers"/> first.
    /// </summary>
    public void ClaimDelivered(int fd)
    {
        if (_buffers is null) throw new InvalidOperationException("The buffer ring is not registered.");
        ClaimAs(fd, Operation.Receive);
        _claims[fd].Delivered = true;
    }

    /// <summary>Where delivered claims' results and every send's result go.</summary>
    public ICompletionReceiver? Receiver { get; set; }

    /// <summary>True if claimed <paramref name="fd"/> currently asks for its results.</summary>
    public bool IsWanted(int fd) => IsClaimed(fd) && _claims[fd].Wanted;

    /// <summary>Claims listening socket <paramref name="fd"/> for a multishot accept.</summary>
    public void ClaimAccept(int fd) => ClaimAs(fd, Operation.Accept);

    private void ClaimAs(int fd, Operation op)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fd);
        DescriptorArrays.EnsureIndex(ref _claims, fd);
        ref Claim c = ref _claims[fd];
        if (c.Claimed) throw new InvalidOperationException($"Descriptor {fd} is already claimed for completions.");
        c.Claimed = true;
        c.Op = op;
        c.Generation = CompletionKey.Next(c.Generation);
        c.Held ??= new long[8];
    }

    /// <summary>
    /// The registration of claimed <paramref name="fd"/> asks (or no longer asks) for reading;
    /// its reports carry <paramref name="token"/>. Arms the multishot, or cancels it (a pause).
    /// </summary>
    public void SetWanted(int fd, bool wanted, long token)
    {
        ref Claim c = ref _claims[fd];
        c.Token = token;
        if (c.Wanted == wanted) return;
        c.Wanted = wanted;
        if (wanted)
        {
            QueueArm(fd, ref c);
            if (c.HeldCount > 0 || c.End != 0) List(fd, ref c);
        }
        else
        {
            Cancel(fd, ref c);
        }
    }

    /// <summary>
    /// Ends the claim of <paramref name="fd"/>, which its owner closes next: cancels what is armed,
    /// returns held buffers, closes held accepted sockets. Nothing is reported for it afterwards.
    /// </summary>
    public void Release(int fd)
    {
        if (!IsClaimed(fd)) return;
        ref Claim c = ref _claims[fd];
        Cancel(fd, ref c);
        DropHeld(ref c);
        c.Claimed = false;
        c.Delivered = false;
        c.Wanted = false;
        c.Armed = false;
        c.CancelSent = false;
        c.End = 0;
        // Completions of the old generation still on their way are recognised as stale by it.
        c.Generation = CompletionKey.Next(c.Generation);
    }

    /// <summary>
    /// <see cref="Release"/>, and the cancel goes to the kernel now instead of with the next wait. A
    /// request holds its file: until the cancel is submitted a released listening socket would stay
    /// open in the kernel after its close, still completing handshakes for clients that then find a
    /// closed connection, where Twisted's <c>stopListening</c> means nothing listens once it returned.
    /// </summary>
    public void ReleaseNow(int fd)
    {
        if (!IsClaimed(fd)) return;
        bool armed = _claims[fd].Armed;
        Release(fd);
        // The kernel completes the cancelled request (and drops its file) before the enter returns.
        if (armed && _ring.Enter(0, null) is < 0 and var error) throw new Errno(-error).ToIOException("io_uring_enter");
    }

    private void Cancel(int fd, ref Claim c)
    {
        if (!c.Armed || c.CancelSent) return;
        c.CancelSent = true;
        var sqe = _ring.NextSqe();
        sqe->Opcode = OpAsyncCancel;
        sqe->Fd = -1;
        sqe->Addr = CompletionKey.Make(fd, c.Generation, c.Op);
        sqe->UserData = IgnoredCompletion;
    }

    private void QueueArm(int fd, ref Claim c)
    {
        if (c.ArmQueued) return;
        c.ArmQueued = true;
        if (_toArmCount == _toArm.Length) Array.Resize(ref _toArm, _toArm.Length * 2);
        _toArm[_toArmCount++] = fd;
    }

    /// <summary>
    /// Before the selector enters the kernel: arms the multishots that should be armed. A receive
    /// starved by an empty buffer ring waits here until a buffer is back.
    /// </summary>
    public void Prepare()
    {
        SpillPausedWhenShort();
        int kept = 0;
        for (int i = 0; i < _toArmCount; i++)
        {
            int fd = _toArm[i];
            ref Claim c = ref _claims[fd];
            if (!c.Claimed || !c.Wanted || c.Armed || c.End != 0)
            {
                c.ArmQueued = false;
                continue;
            }
            if (c.HeldCount > 0 || c.Op == Operation.Receive && _buffers!.Available == 0)
            {
                // What the last request brought is not all taken yet (this is what bounds a
                // descriptor's held bytes), or the ring is empty: try again at the next iteration.
                _toArm[kept++] = fd;
                continue;
            }
            c.ArmQueued = false;
            Arm(fd, ref c);
        }
        _toArmCount = kept;
    }

    private void Arm(int fd, ref Claim c)
    {
        var sqe = _ring.NextSqe();
        sqe->Fd = fd;
        sqe->UserData = CompletionKey.Make(fd, c.Generation, c.Op);
        if (c.Op == Operation.Receive)
        {
            sqe->Opcode = OpRecv;
            sqe->Flags = SqeBufferSelect;
            sqe->BufIndex = GroupId;
            if (_multishotReceive)
            {
                // Ends (no IORING_CQE_F_MORE) once this many bytes arrived: without it, a multishot
                // keeps filling buffers for as long as the peer sends, until the cancel of a pause
                // reaches the kernel — megabytes, from a fast peer.
                sqe->IoPrio = RecvMultishot;
                sqe->OptLen = (uint)_receiveLimit;
            }
        }
        else
        {
            sqe->Opcode = OpAccept;
            sqe->IoPrio = AcceptMultishot;
            sqe->OpFlags = (uint)(NativeConstants.SOCK_NONBLOCK | NativeConstants.SOCK_CLOEXEC);
        }
        c.Armed = true;
        c.CancelSent = false;
        _outstanding++;
    }

    /// <summary>One completion of a claimed descriptor's request (the selector read it from the CQ).</summary>
    public void OnCompletion(ulong data, int res, uint flags)
    {
        int fd = CompletionKey.Fd(data);
        var op = CompletionKey.OperationOf(data);
        bool final = (flags & CqeMore) == 0;
        if (final) _outstanding--;
        if (op == Operation.Send)
        {
            SendFinished(fd, res);
            return;
        }
        bool hasBuffer = (flags & CqeBuffer) != 0;
        ushort bid = (ushort)(flags >> CqeBufferShift);
        if (hasBuffer) _buffers!.Taken();

        if ((uint)fd >= (uint)_claims.Length || !_claims[fd].Claimed || _claims[fd].Generation != CompletionKey.Generation(data) || _claims[fd].Op != op)
        {
            // Released (and perhaps claimed again): nobody wants this result any more.
            if (hasBuffer) _buffers!.Return(bid);
            if (op == Operation.Accept && res >= 0) _syscalls.Close(res, out _);
            return;
        }
        ref Claim c = ref _claims[fd];
        if (final)
        {
            c.Armed = false;
            c.CancelSent = false;
        }
        if (op == Operation.Receive) OnReceived(ref c, res, hasBuffer, bid);
        else if (res != -ECanceled) Hold(ref c, res);

        // Ended for a reason that is not the end of the stream (ENOBUFS, a full CQ, an accept error): arm again when possible.
        if (final && c.Wanted && c.End == 0) QueueArm(fd, ref c);
        if (c.Wanted && (c.HeldCount > 0 || c.End != 0)) List(fd, ref c);
    }

    private void OnReceived(ref Claim c, int res, bool hasBuffer, ushort bid)
    {
        if (res > 0 && hasBuffer)
        {
            _receiveLimitTaken = true;
            Hold(ref c, ((long)bid << 32) | (uint)res);
            return;
        }
        if (hasBuffer) _buffers!.Return(bid);
        if (res == -Errno.EINVAL.Value && _multishotReceive && !_receiveLimitTaken)
        {
            // A kernel before 6.17 rejects the byte limit (the field was file_index, which RECV
            // refuses): read with one-shot receives from now on; this one is armed again below.
            _multishotReceive = false;
            return;
        }
        if (res == -ENoBufs)
        {
            Starvations++;
            _buffers!.Starved();
        }
        if (res == 0) c.End = 1;
        else if (res != -ENoBufs && res != -ECanceled && res != -Errno.EINTR.Value && res != -Errno.EAGAIN.Value) c.End = res;
    }

    private static void Hold(ref Claim c, long value)
    {
        if (c.HeldCount == c.Held.Length)
        {
            var bigger = new long[c.Held.Length * 2];
            for (int i = 0; i < c.HeldCount; i++) bigger[i] = c.Held[(c.HeldHead + i) % c.Held.Length];
            c.Held = bigger;
            c.HeldHead = 0;
        }
        c.Held[(c.HeldHead + c.HeldCount) % c.Held.Length] = value;
        c.HeldCount++;
    }

    private void DropHeld(ref Claim c)
    {
        for (; c.HeldCount > 0; c.HeldCount--)
        {
            long value = c.Held[c.HeldHead];
            c.HeldHead = (c.HeldHead + 1) % c.Held.Length;
            if (c.Op == Operation.Receive) ReleaseHeld(ref c, value);
            else if (value >= 0) _syscalls.Close((int)value, out _);
        }
        c.HeldHead = 0;
    }

    private void List(int fd, ref Claim c)
    {
        if (c.Listed) return;
        c.Listed = true;
        if (_readyCount == _ready.Length) Array.Resize(ref _ready, _ready.Length * 2);
        _ready[_readyCount++] = fd;
    }

    /// <summary>
    /// Writes a readable report for every claimed descriptor that asks for reading and holds
    /// something, after the <paramref name="count"/> reports already in <paramref name="events"/>;
    /// returns the new count. Descriptors left out for lack of room stay listed.
    /// </summary>
    public int Report(Span<SelectorEvent> events, int count)
    {
        DeliverSends();
        int kept = 0;
        int delivering = 0;
        for (int i = 0; i < _readyCount; i++)
        {
            int fd = _ready[i];
            ref Claim c = ref _claims[fd];
            if (!c.Claimed || c.HeldCount == 0 && c.End == 0)
            {
                c.Listed = false;
                continue;
            }
            if (!c.Wanted)
            {
                c.Listed = false; // listed again when reading is asked for
                continue;
            }
            if (c.Delivered)
            {
                // Handed over below, once the list is consistent (the receiver may claim, release, pause).
                c.Listed = false;
                if (delivering == _delivering.Length) Array.Resize(ref _delivering, _delivering.Length * 2);
                _delivering[delivering++] = fd;
                continue;
            }
            // Level-triggered: listed until taken, like a socket that stays readable.
            _ready[kept++] = fd;
            if (count < events.Length) events[count++] = new SelectorEvent(c.Token, SelectorEvents.Readable);
        }
        _readyCount = kept;
        for (int i = 0; i < delivering; i++)
        {
            int fd = _delivering[i];
            // Still claimed and wanting: an earlier delivery in this batch may have closed or paused it.
            if (IsWanted(fd)) Receiver!.Received(fd);
        }
        return count;
    }
}
