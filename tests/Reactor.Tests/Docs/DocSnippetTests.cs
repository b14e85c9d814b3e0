using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reactor.Docs.Samples.Guides.Hosting;
using Reactor.Docs.Samples.Packages;
using Reactor.Hosting;

namespace Reactor.Tests.Docs;

/// <summary>
/// Every C# block in the repository's Markdown (README, package READMEs, guides, design notes) is
/// code the build compiles and a test runs: it must be a run of lines of a file under docs/samples.
/// Guides include regions instead of pasting (DocFX <c>[!code-csharp[](file#region)]</c>); those
/// includes must point at a region that exists.
/// </summary>
public class DocSnippetTests
{
    private static readonly Regex Fence = new(@"^```(?:csharp|cs|c#)[ \t]*\n(.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline);
    private static readonly Regex AnyFence = new(@"^(```|~~~).*?^\1", RegexOptions.Singleline | RegexOptions.Multiline);
    private static readonly Regex Include = new(@"\[!code-csharp\[[^\]]*\]\(([^)#]+)(?:#([\w-]+))?\)\]");

    private static IEnumerable<string> MarkdownFiles() => Files(DocsProgram.RepositoryRoot, "*.md");

    /// <summary>Source files under <paramref name="root"/>, not build output or generated folders.</summary>
    private static IEnumerable<string> Files(string root, string pattern) =>
        Directory.EnumerateFiles(root, pattern, SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "node_modules" or "_site" or ".git" or "TestResults"));

    private static string[] Lines(string text) =>
        text.Replace("\r\n", "\n").Split('\n').Select(line => line.Trim()).ToArray();

    [Test]
    public void EveryCSharpBlockInTheMarkdownIsALineRunOfACompiledSample()
    {
        var samples = Files(Path.Combine(DocsProgram.RepositoryRoot, "docs", "samples"), "*.cs")
            .Select(path => Lines(File.ReadAllText(path)))
            .ToList();
        var blocks = 0;
        var strays = new List<string>();
        foreach (var file in MarkdownFiles())
        {
            var text = File.ReadAllText(file).Replace("\r\n", "\n");
            foreach (Match block in Fence.Matches(text))
            {
                blocks++;
                var wanted = Lines(block.Groups[1].Value.TrimEnd('\n'));
                if (!samples.Any(sample => Contains(sample, wanted)))
                {
                    var line = text[..block.Index].Count(c => c == '\n') + 1;
                    strays.Add($"{Path.GetRelativePath(DocsProgram.RepositoryRoot, file)}:{line}");
                }
            }
        }
        Assert.That(blocks, Is.GreaterThan(0), "the scan found the README's program at least");
        Assert.That(strays, Is.Empty, "C# blocks that are not code from docs/samples (move them into a sample region that a test runs)");
    }

    [Test]
    public void EveryIncludedRegionExists()
    {
        var includes = 0;
        var broken = new List<string>();
        foreach (var file in MarkdownFiles())
        {
            // An include shown as an example inside a code block or `inline code` is not one.
            var text = AnyFence.Replace(File.ReadAllText(file).Replace("\r\n", "\n"), "");
            text = Regex.Replace(text, "`[^`\n]*`", "");
            foreach (Match include in Include.Matches(text))
            {
                includes++;
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, include.Groups[1].Value));
                var region = include.Groups[2].Value;
                var where = $"{Path.GetRelativePath(DocsProgram.RepositoryRoot, file)} → {include.Groups[1].Value}#{region}";
                if (!File.Exists(target)) broken.Add($"{where}: no such file");
                else if (region.Length > 0 && !Regex.IsMatch(File.ReadAllText(target), $@"#region {Regex.Escape(region)}\s*\n")) broken.Add($"{where}: no such region");
            }
        }
        Assert.That(includes, Is.GreaterThan(0), "the guides include their samples");
        Assert.That(broken, Is.Empty);
    }

    [Test]
    public void TheTestingPackagesReadmeExamplePasses() => TestingReadme.EchoWritesBackWhatItReceives();

    [Test]
    public async Task TheObservabilityGuidesHostServesItsEchoListener()
    {
        using var host = HostingSamples.BuildEchoHost(["--Reactor:Listeners:Echo=tcp:0:interface=127.0.0.1"]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.StartAsync(timeout.Token);
        try
        {
            var listener = host.Services.GetServices<IHostedService>().OfType<ReactorHostedService>().Single().GetListener("Echo");
            var port = ((IPEndPoint)listener.Port!.GetHost()).Port;
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 60_000 };
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            await client.SendAsync("hosted"u8.ToArray(), timeout.Token);
            var reply = new byte[6];
            var received = 0;
            while (received < reply.Length) received += await client.ReceiveAsync(reply.AsMemory(received), timeout.Token);
            Assert.That(reply, Is.EqualTo("hosted"u8.ToArray()));
        }
        finally
        {
            await host.StopAsync(timeout.Token);
        }
    }

    private static bool Contains(string[] haystack, string[] needle)
    {
        for (var start = 0; start + needle.Length <= haystack.Length; start++)
        {
            var i = 0;
            while (i < needle.Length && haystack[start + i] == needle[i]) i++;
            if (i == needle.Length) return true;
        }
        return false;
    }
}
