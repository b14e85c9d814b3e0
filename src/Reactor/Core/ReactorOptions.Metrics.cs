using System.Diagnostics.Metrics;

namespace Reactor.Core;

public sealed partial class ReactorOptions
{
    /// <summary>
    /// Where the reactor gets its <see cref="Meter"/> (named <see cref="ReactorInstrumentation.MeterName"/>).
    /// Null (the default): the reactor makes its own and disposes it with itself. Reactor.Hosting
    /// passes the host's factory, so metrics reach whatever the host exports to.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Tags on the reactor's Meter (a <c>ReactorGroup</c> tags each loop with <c>reactor.loop</c>).</summary>
    internal IEnumerable<KeyValuePair<string, object?>>? MeterTags { get; set; }
}
