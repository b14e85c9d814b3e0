using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;

namespace Reactor.Net.Internal;

/// <summary>
/// One block of pending output. Its array lives on the pinned object heap, so its address is
/// fixed for life and a gathered write can hand it to writev(2) without pinning per call.
/// </summary>
internal sealed unsafe class OutputSegment
{
    /// <summary>Bytes per segment: large enough that a 64 KiB write takes four, small enough to pool many.</summary>
    public const int Size = 16 * 1024;

    /// <summary>Segments shared by every transport of the process (the pool is thread-safe).</summary>
    public static readonly ObjectPool<OutputSegment> Pool =
        new DefaultObjectPool<OutputSegment>(new Policy(), maximumRetained: 4096);

    private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(Size, pinned: true);

    /// <summary>Where the unsent bytes start.</summary>
    public int Start;

    /// <summary>Where the unsent bytes end (and free space begins).</summary>
    public int End;

    /// <summary>The segment after this one in its buffer's chain.</summary>
    public OutputSegment? Next;

    /// <summary>The address of the first byte of the array (stable: the array is pinned).</summary>
    public byte* Pointer => (byte*)Unsafe.AsPointer(ref _array[0]);

    /// <summary>The unsent bytes.</summary>
    public ReadOnlySpan<byte> Pending => new(_array, Start, End - Start);

    /// <summary>The free space after <see cref="End"/>.</summary>
    public Span<byte> Free => new(_array, End, Size - End);

    private sealed class Policy : PooledObjectPolicy<OutputSegment>
    {
        public override OutputSegment Create() => new();

        public override bool Return(OutputSegment segment)
        {
            segment.Start = 0;
            segment.End = 0;
            segment.Next = null;
            return true;
        }
    }
}
