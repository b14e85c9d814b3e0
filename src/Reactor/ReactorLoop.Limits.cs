using Reactor.Net.Internal;

namespace Reactor;

public sealed partial class ReactorLoop
{
    private TransportLimits? _limits;

    /// <summary>The limits this reactor's transports start with (from its options).</summary>
    TransportLimits ITransportHost.Limits => _limits ??= TransportLimits.From(Options);
}
