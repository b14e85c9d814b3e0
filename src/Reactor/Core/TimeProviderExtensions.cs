using Reactor.Time;

namespace Reactor.Core;

/// <summary>Conversions between Reactor's <see cref="IReactorTime"/> and .NET's <see cref="TimeProvider"/>.</summary>
public static class TimeProviderExtensions
{
    /// <summary>A <see cref="TimeProvider"/> that reads and schedules on <paramref name="time"/> (see <see cref="ReactorTimeProvider"/>).</summary>
    public static TimeProvider AsTimeProvider(this IReactorTime time) =>
        time is TimeProviderReactorTime adapter ? adapter.Provider : new ReactorTimeProvider(time);

    /// <summary>An <see cref="IReactorTime"/> over <paramref name="provider"/> (see <see cref="TimeProviderReactorTime"/>).</summary>
    /// <param name="provider">The time source.</param>
    /// <param name="dispatcher">Where calls run (a reactor); null to run them on the provider's timer thread.</param>
    public static IReactorTime AsReactorTime(this TimeProvider provider, IReactorFromThreads? dispatcher = null) =>
        provider is ReactorTimeProvider bridge && dispatcher is null ? bridge.Time : new TimeProviderReactorTime(provider, dispatcher);
}
