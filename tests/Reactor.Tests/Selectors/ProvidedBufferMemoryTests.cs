using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Reactor.Selectors;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The provided-buffer ring's memory is advised to be backed by transparent huge pages: the kernel fills
/// the 256 buffers in turn, and with 4 KiB pages the receive copy into each next buffer missed the TLB
/// (perf: the copy cost 2.5× epoll's into its one hot read buffer). Checked from the kernel's own view of
/// the mapping, /proc/self/smaps: its VmFlags carry "hg" (MADV_HUGEPAGE) and it is THP-eligible.
/// </summary>
public sealed class ProvidedBufferMemoryTests
{
    [Test]
    public unsafe void TheBufferRingsMemoryIsAdvisedForHugePages()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        if (!File.Exists("/sys/kernel/mm/transparent_hugepage/enabled")) Assert.Ignore("this kernel has no transparent huge pages");
        using var selector = IoUringSelector.TryCreate(out _)!;
        Assert.That(selector.Completions.TryRegisterBuffers(out var whyNot), Is.True, whyNot);
        var buffers = selector.Completions.Buffers!;
        ulong first = (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffers.Filled(0, 1)));
        ulong last = (ulong)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffers.Filled((ushort)(buffers.Count - 1), 1)));

        var mapping = MappingHolding(first);
        Assert.That(mapping.End, Is.GreaterThan(last), "one mapping holds every buffer");
        Assert.That(mapping.VmFlags, Does.Contain("hg"), "advised MADV_HUGEPAGE");
        Assert.That(mapping.ThpEligible, Is.True, "the kernel may back it with huge pages");
    }

    private static (ulong End, string[] VmFlags, bool ThpEligible) MappingHolding(ulong address)
    {
        bool found = false;
        ulong end = 0;
        string[] flags = [];
        bool eligible = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-');
            int space = line.IndexOf(' ');
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, null, out ulong start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, null, out ulong stop))
            {
                if (found) break; // the next mapping's header: ours is complete
                found = start <= address && address < stop;
                end = stop;
                continue;
            }
            if (!found) continue;
            if (line.StartsWith("VmFlags:", StringComparison.Ordinal)) flags = line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            else if (line.StartsWith("THPeligible:", StringComparison.Ordinal)) eligible = line.Trim().EndsWith('1');
        }
        Assert.That(found, Is.True, $"no mapping in /proc/self/smaps holds 0x{address:x}");
        return (end, flags, eligible);
    }
}
