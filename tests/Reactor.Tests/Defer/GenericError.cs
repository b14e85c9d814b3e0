namespace Reactor.Tests.Defer;

/// <summary>A test error, like Twisted's GenericError.</summary>
public sealed class GenericError(string message = "generic") : Exception(message);
