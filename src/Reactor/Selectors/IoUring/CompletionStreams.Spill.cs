using System.Buffers;
using Operation = Reactor.Selectors.IoUring.CompletionKey.Operation;

namespace Reactor.Selectors.IoUring;

internal sealed unsafe partial class CompletionStreams
{
    /// <summary>
    /// The buffer id of a held entry whose bytes were copied out of the ring (<see cref="Claim.Spill"/>):
    /// never a ring buffer's, which are below 32,768.
    /// </summary>
    private const ushort SpilledBuffer = ushort.MaxValue;

    /// <summary>
    /// How many paused descriptors' held bytes were copied out of the ring so the ring could serve the
    /// others (<see cref="SpillPausedWhenShort"/>).
    /// </summary>
    public long Spills { get; private set; }

    /// <summary>
    /// Before each enter: when fewer than a quarter of the ring's buffers are free, copies what paused
    /// descriptors hold into memory of their own and gives their buffers back. A paused connection
    /// may stay paused for good (its peer never reads what it is sent, so its transport never resumes
    /// reading), and about fifty of them, each holding up to <see cref="MaxHeldBytes"/>, would otherwise
    /// keep every buffer and starve every other connection of the loop. What one descriptor holds stays
    /// bounded by the same <see cref="MaxHeldBytes"/>; only where it is held changes. Costs nothing
    /// while the ring has buffers to spare.
    /// </summary>
    private void SpillPausedWhenShort()
    {
        if (_buffers is null || _buffers.Available >= _buffers.Count / 4) return;
        for (int fd = 0; fd < _claims.Length; fd++)
        {
            ref Claim c = ref _claims[fd];
            if (c.Claimed && !c.Wanted && c.Op == Operation.Receive && HoldsRingBuffers(ref c)) Spill(ref c);
        }
    }

    private static bool HoldsRingBuffers(ref Claim c)
    {
        for (int i = 0; i < c.HeldCount; i++)
        {
            if ((ushort)(c.Held[(c.HeldHead + i) % c.Held.Length] >> 32) != SpilledBuffer) return true;
        }
        return false;
    }

    /// <summary>Replaces everything <paramref name="c"/> holds, in order, with one entry in pooled memory; its ring buffers go back.</summary>
    private void Spill(ref Claim c)
    {
        int total = (int)HeldBytesOf(ref c);
        var spill = ArrayPool<byte>.Shared.Rent(total);
        int written = 0;
        for (; c.HeldCount > 0; c.HeldCount--)
        {
            long value = c.Held[c.HeldHead];
            c.HeldHead = (c.HeldHead + 1) % c.Held.Length;
            var bytes = HeldData(ref c, value);
            bytes.CopyTo(spill.AsSpan(written));
            written += bytes.Length;
            ReleaseHeld(ref c, value);
        }
        c.HeldHead = 0;
        c.Spill = spill;
        c.Held[0] = ((long)SpilledBuffer << 32) | (uint)written;
        c.HeldCount = 1;
        Spills++;
    }

    /// <summary>The bytes a held receive entry stands for: a ring buffer's, or the spilled copy's.</summary>
    private ReadOnlySpan<byte> HeldData(ref Claim c, long value)
    {
        ushort id = (ushort)(value >> 32);
        int length = (int)(uint)value;
        return id == SpilledBuffer ? c.Spill.AsSpan(0, length) : _buffers!.Filled(id, length);
    }

    /// <summary>Gives back what a held receive entry occupied: its ring buffer, or the spilled copy's pooled array.</summary>
    private void ReleaseHeld(ref Claim c, long value)
    {
        ushort id = (ushort)(value >> 32);
        if (id != SpilledBuffer)
        {
            _buffers!.Return(id);
            return;
        }
        if (c.Spill is { } spill) ArrayPool<byte>.Shared.Return(spill);
        c.Spill = null;
    }
}
