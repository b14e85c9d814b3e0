namespace Reactor.Tests.Infrastructure;

/// <summary>How many bytes the current thread allocates while an action runs.</summary>
internal static class ThreadAllocation
{
    /// <summary>
    /// Runs <paramref name="action"/> and returns what <see cref="GC.GetAllocatedBytesForCurrentThread"/>
    /// grew by, with this thread's allocation context emptied first.
    /// </summary>
    /// <remarks>
    /// The counter is "bytes handed to this thread minus the unused rest of its current allocation
    /// context". A background GC that ends its mark phase drops every thread's context without
    /// taking that rest off (the runtime's void_allocation; a blocking GC's fix_allocation_context
    /// does take it off), so a thread that allocates nothing can see the counter jump by up to one
    /// allocation quantum (8 KiB). That was HotPathAllocationTests' "7256 bytes" flake: it needed a
    /// background GC to finish marking inside the window and never happened with
    /// DOTNET_gcConcurrent=0. A blocking gen0 GC empties this thread's context, and an empty
    /// context has no rest to add; any real allocation during the action still counts in full.
    /// </remarks>
    public static long During(Action action)
    {
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
