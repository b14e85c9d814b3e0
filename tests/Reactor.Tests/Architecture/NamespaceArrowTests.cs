using System.Text.RegularExpressions;
using Reactor.Tests.Docs;

namespace Reactor.Tests.Architecture;

/// <summary>
/// Namespace arrows only point down (issue 18): every arrow in the compiled Reactor assembly is
/// allowed by the layer and exception tables of docs/design/architecture.md, every exception still
/// occurs, and no P/Invoke lives outside Reactor.Native.
/// </summary>
public sealed partial class NamespaceArrowTests
{
    private const string Root = "Reactor";
    private static readonly Lazy<NamespaceGraph> Graph = new(() => NamespaceGraph.Read(typeof(ReactorLoop).Assembly.Location, Root));
    private static readonly Lazy<ArrowTables> Tables = new(() => ArrowTables.Parse(File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "docs", "design", "architecture.md"))));

    [Test]
    public void EveryNamespaceOfTheAssemblyHasALayer()
    {
        var unplaced = Graph.Value.Arrows.Keys.SelectMany(a => new[] { a.From, a.To }).Distinct().Where(n => !Tables.Value.Module.ContainsKey(n)).Order().ToList();
        Assert.That(unplaced, Is.Empty, "namespaces missing from the layer table of docs/design/architecture.md");
    }

    [Test]
    public void EveryArrowPointsDownOrIsAnExplainedException()
    {
        var tables = Tables.Value;
        var wrong = Graph.Value.Arrows
            .Where(a => tables.Module.ContainsKey(a.Key.From) && tables.Module.ContainsKey(a.Key.To))
            .Where(a => !tables.Allows(a.Key.From, a.Key.To) && !tables.Exceptions.Contains(a.Key))
            .Select(a => $"{a.Key.From} -> {a.Key.To} (e.g. {a.Value})")
            .Order()
            .ToList();
        Assert.That(wrong, Is.Empty, "arrows the layers of docs/design/architecture.md do not allow");
    }

    [Test]
    public void EveryExceptionStillOccursAndIsNeeded()
    {
        var tables = Tables.Value;
        var arrows = Graph.Value.Arrows.Keys.ToHashSet();
        Assert.That(tables.Exceptions.Where(e => !arrows.Contains(e)).Select(e => $"{e.From} -> {e.To}"), Is.Empty, "exceptions that no longer occur: delete them from the table");
        Assert.That(tables.Exceptions.Where(e => tables.Allows(e.From, e.To)).Select(e => $"{e.From} -> {e.To}"), Is.Empty, "exceptions the layers already allow");
    }

    [Test]
    public void NoPInvokeLivesOutsideTheNativeLayer()
    {
        Assert.That(Graph.Value.PInvokes.Where(p => p.Namespace != "Reactor.Native").Select(p => p.Method), Is.Empty);
    }

    [Test]
    public void TheRulesCatchAnUpwardArrow()
    {
        // The checker itself: an arrow from the bottom to the root, and a reach into another module's internals.
        var tables = Tables.Value;
        Assert.That(tables.Allows("Reactor.Core", "Reactor"), Is.False);
        Assert.That(tables.Allows("Reactor.Net.Tcp", "Reactor.Net.Tls.Internal"), Is.False, "another module's .Internal");
        Assert.That(tables.Allows("Reactor.Net.Tcp", "Reactor.Net.Internal"), Is.True, "the Net family's shared internals");
        Assert.That(tables.Allows("Reactor.Net.Stream", "Reactor.Core.Internal"), Is.True, "the engine contract");
        Assert.That(tables.Allows("Reactor", "Reactor.Net.Processes.Internal"), Is.True, "the composition root");
    }

    /// <summary>The layer and exception tables of docs/design/architecture.md.</summary>
    private sealed partial class ArrowTables
    {
        public Dictionary<string, (int Rank, string Module)> Module { get; } = new();

        public HashSet<(string From, string To)> Exceptions { get; } = new();

        public static ArrowTables Parse(string markdown)
        {
            var tables = new ArrowTables();
            var section = "";
            foreach (var line in markdown.Split('\n'))
            {
                if (line.StartsWith("## ", StringComparison.Ordinal)) section = line[3..].Trim();
                if (!line.StartsWith('|') || line.StartsWith("|---", StringComparison.Ordinal)) continue;
                var cells = line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                var names = Code().Matches(line).Select(m => m.Groups[1].Value).ToArray();
                if (section == "Layers" && int.TryParse(cells[0], out var rank))
                {
                    foreach (var name in Code().Matches(cells[2]).Select(m => m.Groups[1].Value)) tables.Module[name] = (rank, cells[1]);
                }
                else if (section == "Exceptions" && names.Length >= 2 && cells[0].StartsWith('`'))
                {
                    tables.Exceptions.Add((names[0], names[1]));
                }
            }
            return tables;
        }

        /// <summary>Rules 1 and 2 of docs/design/architecture.md.</summary>
        public bool Allows(string from, string to)
        {
            var (fromRank, fromModule) = Module[from];
            var (toRank, toModule) = Module[to];
            if (fromModule == toModule) return true;
            if (toRank >= fromRank) return false;
            var dot = to.LastIndexOf(".Internal", StringComparison.Ordinal);
            if (dot < 0) return true;
            var owner = to[..dot];
            return from == Root || owner == "Reactor.Core" || from.StartsWith(owner + ".", StringComparison.Ordinal);
        }

        [GeneratedRegex("`([A-Za-z.]+)`")]
        private static partial Regex Code();
    }
}
