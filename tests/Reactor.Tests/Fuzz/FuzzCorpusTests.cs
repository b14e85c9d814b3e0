using Reactor.Fuzz.Targets;

namespace Reactor.Tests.Fuzz;

/// <summary>
/// Replays the committed fuzz corpus (fuzz/corpus/TARGET/*: the seeds and every input the fuzzer
/// found interesting or crashing) through the same targets the SharpFuzz harness runs, so a
/// regression on any of them fails the suite without AFL installed.
/// </summary>
public sealed class FuzzCorpusTests
{
    /// <summary>Every corpus file, named TARGET/FILE.</summary>
    public static IEnumerable<TestCaseData> CorpusFiles()
    {
        var corpus = Path.Combine(RepositoryRoot(), "fuzz", "corpus");
        foreach (var folder in Directory.GetDirectories(corpus).Order())
        {
            var target = Path.GetFileName(folder);
            foreach (var file in Directory.GetFiles(folder).Order())
            {
                yield return new TestCaseData(target, file).SetName($"Replay({target}/{Path.GetFileName(file)})");
            }
        }
    }

    [TestCaseSource(nameof(CorpusFiles))]
    public void CorpusInputIsHandledAsDocumented(string target, string file)
    {
        Assert.That(FuzzTarget.All.ContainsKey(target), Is.True, $"fuzz/corpus/{target} has no target of that name");
        Assert.DoesNotThrow(() => FuzzTarget.All[target].Run(File.ReadAllBytes(file)));
    }

    [Test]
    public void EveryTargetHasASeedCorpus()
    {
        var corpus = Path.Combine(RepositoryRoot(), "fuzz", "corpus");
        foreach (var name in FuzzTarget.All.Keys)
        {
            var folder = Path.Combine(corpus, name);
            Assert.That(Directory.Exists(folder) && Directory.GetFiles(folder).Length > 0, Is.True, $"fuzz/corpus/{name} is empty");
        }
    }

    [Test]
    public void ATargetReportsAReceiverThatDeliversDifferentFramesForDifferentCuts()
    {
        // The oracle itself: two logs that differ are a finding.
        var a = new EventLog();
        var b = new EventLog();
        a.Add("line", "x"u8);
        b.Add("line", "y"u8);
        Assert.Throws<FuzzFinding>(() => a.AssertSameAs(b, "test"));
    }

    private static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Reactor.sln"))) dir = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(dir))!;
        return dir;
    }
}
