using Reactor.Net.Endpoints;

namespace Reactor.Tests.Net.Endpoints;

/// <summary>The description grammar: Twisted's <c>endpoints._tokenize</c> / <c>_parse</c>.</summary>
public class EndpointDescriptionTests
{
    [Test]
    public void SplitsPrefixPositionalAndKeywordArguments()
    {
        // Twisted: _parse('a:b:d=1:c') == (['a', 'b', 'c'], {'d': '1'}) (endpoints._parse docstring).
        var d = EndpointDescription.Parse("a:b:d=1:c");
        Assert.Multiple(() =>
        {
            Assert.That(d.Prefix, Is.EqualTo("a"));
            Assert.That(d.Arguments, Is.EqualTo(new[] { "b", "c" }));
            Assert.That(d.Keywords, Is.EqualTo(new Dictionary<string, string> { ["d"] = "1" }));
        });
    }

    [Test]
    public void PrefixIsCaseInsensitive() => Assert.That(EndpointDescription.Parse("TCP:80").Prefix, Is.EqualTo("tcp"));

    [Test]
    public void BackslashEscapesColonEqualsAndBackslash()
    {
        // Twisted: test_endpoints.ParserTests.test_escape.
        var d = EndpointDescription.Parse("unix:foo\\:bar\\=baz\\:qux\\\\");
        Assert.That(d.Arguments, Is.EqualTo(new[] { "foo:bar=baz:qux\\" }));
        Assert.That(d.Keywords, Is.Empty);
    }

    [Test]
    public void EqualsAfterTheFirstBelongsToTheValue()
    {
        // Twisted: test_endpoints.ParserTests.test_impliedEscape.
        var d = EndpointDescription.Parse("unix:address=foo=bar");
        Assert.That(d.Keywords["address"], Is.EqualTo("foo=bar"));
    }

    [Test]
    public void AnEscapedColonInAKeyIsPartOfTheKey()
    {
        // Twisted: haproxy test_parser.test_colonInKeywordName ('\\:=hello').
        var d = EndpointDescription.Parse("x:\\:=hello");
        Assert.That(d.Keywords[":"], Is.EqualTo("hello"));
    }

    [Test]
    public void EmptySegmentsAreKeptAsEmptyArguments()
    {
        var d = EndpointDescription.Parse("tcp::80:interface=");
        Assert.That(d.Arguments, Is.EqualTo(new[] { "", "80" }));
        Assert.That(d.Keywords["interface"], Is.EqualTo(""));
    }

    [Test]
    public void SegmentsKeepTheirWrittenText()
    {
        var d = EndpointDescription.Parse("ssl:443:privateKey=C\\:/key.pem");
        Assert.That(d.Segments.Select(s => s.Text), Is.EqualTo(new[] { "443", "privateKey=C\\:/key.pem" }));
        Assert.That(d.Keywords["privateKey"], Is.EqualTo("C:/key.pem"));
    }

    [Test]
    public void QuoteEscapesBackslashesAndColons()
    {
        // Twisted: test_endpoints.ParserTests.test_quoteStringArgument.
        Assert.That(EndpointDescription.Quote("some : stuff \\"), Is.EqualTo("some \\: stuff \\\\"));
    }

    [TestCase("C:\\dir\\key.pem")]
    [TestCase("a=b:c\\")]
    [TestCase("::1")]
    public void QuotedValuesRoundTrip(string value)
    {
        var d = EndpointDescription.Parse("x:k=" + EndpointDescription.Quote(value) + ":" + EndpointDescription.Quote(value));
        Assert.That(d.Keywords["k"], Is.EqualTo(value));
        Assert.That(d.Arguments, Is.EqualTo(new[] { value }));
    }

    [TestCase("", null, "empty")]
    [TestCase(":80", "", "first segment must be the endpoint type")]
    [TestCase("port=80", "port=80", "first segment must be the endpoint type")]
    [TestCase("tcp:80\\", "80\\", "lone backslash")]
    [TestCase("tcp:=80", "=80", "key before \"=\" is empty")]
    [TestCase("tcp:80:backlog=1:backlog=2", "backlog=2", "given more than once")]
    public void MalformedStringsNameTheBadSegment(string description, string? segment, string problem)
    {
        var e = Assert.Throws<EndpointParseError>(() => EndpointDescription.Parse(description))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Segment, Is.EqualTo(segment));
            Assert.That(e.Message, Does.Contain(problem));
            Assert.That(e.Description, Is.EqualTo(description));
            Assert.That(e, Is.InstanceOf<FormatException>());
        });
    }

    [Test]
    public void NullIsAnArgumentError() =>
        Assert.That(() => EndpointDescription.Parse(null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("description"));
}
