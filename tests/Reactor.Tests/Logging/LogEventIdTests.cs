using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Reactor.Tests.Docs;

namespace Reactor.Tests.Logging;

/// <summary>
/// Every message the engine logs is a source-generated LoggerMessage method with its own stable event
/// id, and docs/guides/observability.md lists each one.
/// </summary>
public partial class LogEventIdTests
{
    private static readonly Assembly[] Engine =
    [
        typeof(ReactorLoop).Assembly,
        typeof(Reactor.Web.Server.Site).Assembly,
        typeof(Reactor.Hosting.ReactorServiceCollectionExtensions).Assembly,
    ];

    private static IEnumerable<(MethodInfo Method, LoggerMessageAttribute Message)> Messages() =>
        from assembly in Engine
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (method, attribute);

    [Test]
    public void EveryEventIdIsUsedOnce()
    {
        var messages = Messages().ToList();
        Assert.That(messages, Has.Count.GreaterThan(50), "the engine's messages were found");
        var reused = messages.GroupBy(m => m.Message.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method.Name))}");
        Assert.That(reused, Is.Empty);
    }

    [Test]
    public void TheObservabilityGuideListsEveryEventIdWithItsLevelAndName()
    {
        var guide = File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "docs", "guides", "observability.md"));
        foreach (var (method, message) in Messages())
        {
            Assert.That(guide, Does.Contain($"| {message.EventId} | {message.Level} | {method.Name} |"),
                $"event {message.EventId} ({method.DeclaringType!.Name}.{method.Name}) is in the guide's table");
        }
    }

    [Test]
    public void NoEngineCodeLogsWithoutAGeneratedMessage()
    {
        var direct = new List<string>();
        foreach (var project in new[] { "Reactor", "Reactor.Web", "Reactor.Hosting" })
        {
            var folder = Path.Combine(DocsProgram.RepositoryRoot, "src", project);
            foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (DirectLogCall().IsMatch(lines[i])) direct.Add($"{Path.GetRelativePath(DocsProgram.RepositoryRoot, file)}:{i + 1}");
                }
            }
        }
        Assert.That(direct, Is.Empty, "add a [LoggerMessage] method with the next free event id of the layer instead");
    }

    [GeneratedRegex(@"\bLog(Trace|Debug|Information|Warning|Error|Critical)\(")]
    private static partial Regex DirectLogCall();
}
