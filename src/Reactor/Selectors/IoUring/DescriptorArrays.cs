namespace Reactor.Selectors.IoUring;

/// <summary>Arrays indexed by descriptor number: grown (doubling) to hold a number, never per operation.</summary>
internal static class DescriptorArrays
{
    /// <summary>Grows <paramref name="array"/> so that <paramref name="fd"/> is a valid index; returns its length.</summary>
    public static int EnsureIndex<T>(ref T[] array, int fd)
    {
        if (fd < array.Length) return array.Length;
        int size = Math.Max(array.Length, 1);
        while (size <= fd) size *= 2;
        Array.Resize(ref array, size);
        return size;
    }
}
