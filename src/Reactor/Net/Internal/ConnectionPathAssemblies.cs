using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;

namespace Reactor.Net.Internal;

/// <summary>
/// Loads, when a reactor is created, the assemblies a connection's first read, write and close
/// would otherwise load on first use.
/// </summary>
/// <remarks>
/// The runtime opens an assembly's file (and keeps it open) the first time code that needs it is
/// compiled. A server whose first connections arrive when its descriptor table is full (EMFILE)
/// then cannot load them: the first write failed in <c>OutputBuffer.Append</c> and the first close in
/// <c>CloseSocket</c>, leaking the descriptor, and the runtime remembers a failed load, so the process
/// stayed broken after descriptors were freed (issue 12, found by the <c>prlimit --nofile=256</c>
/// reproduction). The list is what the Echo example loads serving its first connection.
/// </remarks>
internal static class ConnectionPathAssemblies
{
    private static int _loaded;

    /// <summary>Loads them once per process; later calls return at once.</summary>
    public static void EnsureLoaded()
    {
        if (Interlocked.Exchange(ref _loaded, 1) == 1) return;
        try
        {
            // Each typeof makes the JIT load the assembly defining the type; the pool's static
            // constructor builds the output segment pool the first write uses.
            Touch(typeof(SocketShutdown), typeof(DefaultObjectPool<>), typeof(ConcurrentQueue<>), typeof(SslStream));
            RuntimeHelpers.RunClassConstructor(typeof(OutputSegment).TypeHandle);
        }
        catch (Exception)
        {
            // Already short of descriptors at start-up: the first connection will try again, as before.
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Touch(params Type[] types)
    {
        foreach (var type in types) GC.KeepAlive(type.Assembly);
    }
}
