using System.Text.RegularExpressions;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Docs.Samples.Packages;
using Reactor.Tests.Core;
using Reactor.Tests.Net;

namespace Reactor.Tests.Docs;

/// <summary>src/Reactor.Web/README.md (the package's gallery page): its program is a sample the suite runs.</summary>
public class WebReadmeTests
{
    [Test]
    public void TheReadmeProgramIsTheSampleRegion()
    {
        var readme = File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "src", "Reactor.Web", "README.md"));
        var block = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "the README has a C# block");
        var sample = File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "docs", "samples", "Reactor.Docs.Samples", "Packages", "WebReadme.cs"));
        var region = Regex.Match(sample, @"#region readme\n(.*?)\n\s*#endregion", RegexOptions.Singleline);
        var dedented = string.Join("\n", region.Groups[1].Value.Split('\n').Select(line => line.Length >= 8 ? line[8..] : line.TrimStart()));
        Assert.That(block.Groups[1].Value.TrimEnd(), Is.EqualTo(dedented.TrimEnd()));
    }

    [Test]
    public void TheReadmeProgramServesAndFetchesTheGreeting()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions { Logger = new CapturingLogger(), InstallSignalHandlers = false });
        object? outcome = null;
        WebReadme.HelloRoundTrip(reactor).AddCallbacks<object?>(reply => outcome = reply, failure => outcome = failure);
        reactor.RunUntil(() => outcome is not null, "the README's request");
        Assert.That(outcome, Is.EqualTo("200 Hello from /docs\n"));
    }
}
