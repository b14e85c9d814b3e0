using Microsoft.Extensions.Logging;
using Reactor.Protocols.Internal;

namespace Reactor.Protocols.Policies;

/// <summary>
/// Logs every connection's traffic, for debugging (Twisted's <c>TrafficLoggingFactory</c>):
/// connections are numbered from 1, and each event is one line — <c>* n</c> when the connection
/// is made, <c>C n: data</c> for bytes received, <c>S n: data</c> / <c>SV n: [..]</c> for bytes
/// sent, <c>S n: LoseConnection</c>, and <c>C n: reason</c> when it is lost. Bytes are shown
/// with printable ASCII as is and everything else as <c>\xNN</c>.
/// </summary>
/// <remarks>This is a debugging aid: it formats a string for every event.</remarks>
public class TrafficLoggingFactory : WrappingFactory
{
    private readonly Action<string> _log;
    private int _connections;

    /// <summary>Logs to <paramref name="writer"/>, one line per event, flushed at once.</summary>
    /// <param name="wrappedFactory">The factory that builds the real protocols.</param>
    /// <param name="writer">Where the lines go.</param>
    /// <param name="lengthLimit">The most bytes shown per event (the rest is elided); null for all.</param>
    public TrafficLoggingFactory(IProtocolFactory wrappedFactory, TextWriter writer, int? lengthLimit = null)
        : this(wrappedFactory, lengthLimit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _log = line =>
        {
            writer.WriteLine(line);
            writer.Flush();
        };
    }

    /// <summary>Logs to <paramref name="logger"/> at information level, one entry per event.</summary>
    /// <param name="wrappedFactory">The factory that builds the real protocols.</param>
    /// <param name="logger">Where the entries go.</param>
    /// <param name="lengthLimit">The most bytes shown per event (the rest is elided); null for all.</param>
    public TrafficLoggingFactory(IProtocolFactory wrappedFactory, ILogger logger, int? lengthLimit = null)
        : this(wrappedFactory, lengthLimit)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _log = line => ProtocolLog.Traffic(logger, line);
    }

    private TrafficLoggingFactory(IProtocolFactory wrappedFactory, int? lengthLimit) : base(wrappedFactory)
    {
        if (lengthLimit is { } limit) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit, nameof(lengthLimit));
        LengthLimit = lengthLimit;
        _log = _ => { };
    }

    /// <summary>The most bytes shown per event, or null for all.</summary>
    public int? LengthLimit { get; }

    /// <inheritdoc/>
    protected override ProtocolWrapper WrapProtocol(IProtocol protocol) =>
        new TrafficLoggingProtocol(this, protocol, _log, LengthLimit, ++_connections);
}
