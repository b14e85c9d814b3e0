using System.Text.RegularExpressions;

namespace Reactor.Tests.Docs;

/// <summary>README.md's program is the Getting started echo server, which GettingStartedTests builds and runs.</summary>
public class ReadmeTests
{
    [Test]
    public void TheReadmeProgramIsTheSampleThatTheSuiteRuns()
    {
        var readme = File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "README.md"));
        var block = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.That(block.Success, Is.True, "README.md has a C# block");
        var sample = File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "docs", "samples", "GettingStarted", "EchoServer", "Program.cs"));
        Assert.That(block.Groups[1].Value.TrimEnd(), Is.EqualTo(sample.TrimEnd()));
    }

    [Test]
    public void NoLinkInTheReadmeLeavesTheRepository()
    {
        var readme = File.ReadAllText(Path.Combine(DocsProgram.RepositoryRoot, "README.md"));
        foreach (Match link in Regex.Matches(readme, @"\]\(([^)]+)\)"))
        {
            var target = link.Groups[1].Value;
            Assert.That(target, Does.Not.Contain("://"), $"{target} points outside the repository");
            Assert.That(File.Exists(Path.Combine(DocsProgram.RepositoryRoot, target)), Is.True, $"{target} does not exist");
        }
        Assert.That(readme, Does.Not.Contain("../"), "nothing beside the repository");
    }
}
