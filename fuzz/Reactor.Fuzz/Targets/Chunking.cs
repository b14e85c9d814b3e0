namespace Reactor.Fuzz.Targets;

/// <summary>
/// How a stream target splits its input into reads: the first input byte seeds the split, the
/// rest is the stream. A receiver must produce the same frames however the stream is split, so
/// every stream target runs the stream whole, byte by byte, and in seeded chunks and compares.
/// </summary>
public static class Chunking
{
    /// <summary>Splits <paramref name="input"/> into the split seed and the stream.</summary>
    public static (byte Seed, byte[] Stream) Split(ReadOnlySpan<byte> input) =>
        input.IsEmpty ? ((byte)0, []) : (input[0], input[1..].ToArray());

    /// <summary>The ways a stream is cut into reads: whole, one byte per read, and seeded chunks of 1–17 bytes.</summary>
    public static IEnumerable<int[]> Cuts(byte seed, int length)
    {
        yield return [length];
        yield return Enumerable.Repeat(1, length).ToArray();
        yield return Seeded(seed, length);
    }

    /// <summary>Chunk sizes from a small deterministic generator seeded by <paramref name="seed"/>.</summary>
    public static int[] Seeded(uint seed, int length)
    {
        var sizes = new List<int>();
        var state = seed * 2654435761u + 1;
        for (var done = 0; done < length;)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            var size = Math.Min(length - done, 1 + (int)(state % 17));
            sizes.Add(size);
            done += size;
        }
        return sizes.ToArray();
    }

    /// <summary>Feeds <paramref name="stream"/> to <paramref name="deliver"/> cut as <paramref name="sizes"/> says.</summary>
    public static void Feed(byte[] stream, int[] sizes, Action<ReadOnlyMemory<byte>> deliver)
    {
        var offset = 0;
        foreach (var size in sizes)
        {
            if (size == 0) continue;
            deliver(stream.AsMemory(offset, size));
            offset += size;
        }
    }
}
