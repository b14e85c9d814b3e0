using Reactor.Native;
using Reactor.Net.Internal;
using Reactor.Net.Stream;

namespace Reactor.Tests.Infrastructure;

/// <summary>
/// A reactor seen through a syscall seam that also names the completion drivers its transports and
/// listeners use (null: the readiness path), so a test can put a fake or recording driver in place.
/// </summary>
internal sealed class CompletionSeamHost(ITransportHost reactor, ISyscalls syscalls, IStreamCompletionDriver? streams = null, IAcceptCompletionDriver? accepts = null)
    : SeamHost(reactor, syscalls), IStreamCompletionSource
{
    public IStreamCompletionDriver? StreamDriver => streams;

    public IAcceptCompletionDriver? AcceptDriver => accepts;
}
