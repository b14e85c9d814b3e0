using NUnit.Framework;
using Reactor.Protocols;
using Reactor.Testing;

namespace Reactor.Docs.Samples.Packages;

/// <summary>The example in src/Reactor.Testing/README.md (the package's page on the gallery), runnable.</summary>
public static class TestingReadme
{
    /// <summary>The README's test body: an echo protocol over a StringTransport, no socket.</summary>
    public static void EchoWritesBackWhatItReceives()
    {
        #region readme
        var transport = new StringTransport();
        var protocol = new Echo();
        protocol.MakeConnection(transport);
        protocol.DataReceived("hello"u8);
        Assert.That(transport.ValueAsString(), Is.EqualTo("hello"));
        #endregion
    }

    /// <summary>The protocol the README tests.</summary>
    public sealed class Echo : Protocol
    {
        /// <inheritdoc/>
        public override void DataReceived(ReadOnlySpan<byte> data) => Transport.Write(data);
    }
}
