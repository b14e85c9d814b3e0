using Reactor.Docs.Samples.Guides.Testing;

namespace Reactor.Tests.Docs.Guides;

/// <summary>docs/guides/testing.md: the guide's own tests (in the samples project), run by the suite.</summary>
[TestFixture]
public class TestingGuideTests : ShouterTests;
