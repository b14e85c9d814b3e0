namespace Reactor.Hosting;

/// <summary>
/// What the hosted reactor serves, bound from the same configuration section as
/// <c>ReactorOptions</c> (by default <c>"Reactor"</c>).
/// </summary>
/// <example>
/// <code>
/// { "Reactor": { "Selector": "epoll", "Listeners": { "Echo": "tcp:8000:interface=127.0.0.1" } } }
/// </code>
/// </example>
public sealed class ReactorHostOptions
{
    /// <summary>
    /// Listener name → server endpoint string (<c>tcp:8000</c>, <c>unix:/run/echo.sock</c>,
    /// <c>ssl:8443:privateKey=key.pem</c>, or <c>systemd:domain=INET:index=0</c> /
    /// <c>systemd:domain=UNIX:name=echo</c> for a socket handed over by systemd). Each name needs a
    /// factory registered with <see cref="ReactorBuilder.AddListener(string, Func{IServiceProvider, Protocols.IProtocolFactory})"/>.
    /// </summary>
    public Dictionary<string, string> Listeners { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
