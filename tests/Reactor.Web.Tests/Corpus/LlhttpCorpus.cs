using System.Text;
using System.Text.RegularExpressions;

namespace Reactor.Web.Tests.Corpus;

/// <summary>One case of llhttp's markdown test suite: its input bytes and what llhttp makes of them.</summary>
public sealed record LlhttpCase(string File, string Title, string Type, byte[] Input, bool ExpectsError, int MessagesCompleted, string Log)
{
    public override string ToString() => $"{File}: {Title}";
}

/// <summary>
/// Reads the llhttp test vectors in Corpus/llhttp (source: https://github.com/nodejs/llhttp,
/// test/request/*.md and test/response/*.md, MIT; see Corpus/llhttp/README.md). Input rules as
/// llhttp's test runner documents them: the trailing newline is dropped, a backslash at the end of
/// a line joins it to the next, line ends become CRLF, then \r \n \t \f \xHH and \NNN (octal) are
/// unescaped.
/// </summary>
public static class LlhttpCorpus
{
    private static readonly Regex Section = new(
        @"^#{2,4}[ \t]+(?<title>[^\r\n]+?)[ \t]*\r?\n(?:(?!#{2,4}[ \t])[^\n]*\n)*?\s*<!--\s*meta=(?<meta>\{.*?\})\s*-->\s*```http\r?\n(?<input>.*?)```\s*```log\r?\n(?<log>.*?)```",
        RegexOptions.Multiline | RegexOptions.Singleline);

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Corpus", "llhttp");

    public static IEnumerable<LlhttpCase> Load(string kind)
    {
        foreach (var path in Directory.EnumerateFiles(Path.Combine(Folder, kind), "*.md").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            foreach (Match match in Section.Matches(text))
            {
                var meta = match.Groups["meta"].Value;
                var type = Regex.Match(meta, "\"type\"\\s*:\\s*\"([^\"]+)\"").Groups[1].Value;
                if (type != kind && type != kind + "-finish") continue;
                var log = match.Groups["log"].Value;
                yield return new LlhttpCase(
                    kind + "/" + Path.GetFileName(path), match.Groups["title"].Value, type, Unescape(match.Groups["input"].Value),
                    log.Contains("error code="), Regex.Matches(log, "message complete").Count, log);
            }
        }
    }

    private static byte[] Unescape(string input)
    {
        input = Regex.Replace(input, @"\n\z", "");
        input = Regex.Replace(input, @"\\(\r\n|\r|\n)", "");
        input = Regex.Replace(input, @"\r\n|\r|\n", "\r\n");
        input = input.Replace("\\r", "\r").Replace("\\n", "\n").Replace("\\t", "\t").Replace("\\f", "\f");
        input = Regex.Replace(input, @"\\x([0-9a-fA-F]{2})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString());
        input = Regex.Replace(input, @"\\([0-7]{1,3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
        return Encoding.Latin1.GetBytes(input);
    }
}
