namespace Reactor.Fuzz.Targets;

/// <summary>
/// One fuzz target: a parser fed bytes an attacker (or an operator's typo) chooses. A target
/// returns normally for any input it handles as documented and throws <see cref="FuzzFinding"/>
/// (or lets an undocumented exception escape) when it does not: that is what AFL records as a crash.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name used on the command line and as the corpus folder (fuzz/corpus/NAME).</summary>
    public abstract string Name { get; }

    /// <summary>Runs the parser on <paramref name="input"/>; throws on a finding.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>Every target, by name.</summary>
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new FuzzTarget[]
    {
        new LineReceiverTarget(),
        new LineOnlyReceiverTarget(),
        new IntNStringReceiverTarget(1),
        new IntNStringReceiverTarget(2),
        new IntNStringReceiverTarget(4),
        new NetstringReceiverTarget(),
        new FixedLengthReceiverTarget(),
        new StatefulProtocolTarget(),
        new EndpointStringTarget(),
        new HttpHelloRequestTarget(),
        new HttpRequestTarget(),
        new HttpResponseTarget(),
    }.ToDictionary(t => t.Name);
}

/// <summary>A parser did something its documentation rules out.</summary>
public sealed class FuzzFinding(string message) : Exception(message);
