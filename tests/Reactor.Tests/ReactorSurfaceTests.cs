using System.Reflection;
using Reactor.Core;
using Reactor.Core.Threading;
using Reactor.Defer;
using Reactor.Selectors;

namespace Reactor.Tests;

/// <summary>
/// The pinned surface (issue 18): selector backends are reached through <see cref="SelectorFactory"/>
/// only, and the reactor hands out interfaces, not the classes behind them, so those classes can
/// change without breaking users.
/// </summary>
public sealed class ReactorSurfaceTests
{
    // Concrete public types a reactor method may return: Deferred is the result type itself, a
    // SystemEventTrigger is an opaque handle (Twisted returns an id), GetThreadPool returns
    // Twisted's ThreadPool object, and ReactorLoop.Create makes the reactor itself.
    private static readonly Type[] AllowedConcrete = [typeof(Deferred<>), typeof(SystemEventTrigger), typeof(ReactorThreadPool), typeof(ReactorLoop)];

    [Test]
    public void SelectorBackendsAreInternalAndMadeByTheFactory()
    {
        var backends = typeof(ISelector).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(ISelector).IsAssignableFrom(t) && t.Namespace == typeof(ISelector).Namespace)
            .ToList();
        Assert.That(backends.Select(t => t.Name), Is.SupersetOf(new[] { "EpollSelector", "PollSelector", "SelectSelector", "KqueueSelector", "IoUringSelector" }));
        Assert.That(backends.Where(t => t.IsPublic).Select(t => t.Name), Is.Empty, "a public backend");
        foreach (SelectorKind kind in SelectorFactory.Available)
        {
            using ISelector selector = SelectorFactory.Create(kind);
            Assert.That(selector.Kind, Is.EqualTo(kind));
        }
    }

    [Test]
    public void EveryReactorMethodReturnsAnInterfaceOrAnAllowedType()
    {
        var offenders = typeof(ReactorLoop).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Where(m => !m.IsSpecialName && m.DeclaringType == typeof(ReactorLoop))
            .Where(m => ReturnsConcreteReactorClass(m.ReturnType))
            .Select(m => $"{m.Name} -> {m.ReturnType.Name}")
            .Distinct()
            .ToList();
        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void UdpAndUnixDatagramPortsAreReturnedAsInterfaces()
    {
        Assert.That(typeof(ReactorLoop).GetMethod(nameof(ReactorLoop.ListenUdp))!.ReturnType.IsInterface, Is.True);
        Assert.That(typeof(ReactorLoop).GetMethod(nameof(ReactorLoop.ListenMulticast))!.ReturnType.IsInterface, Is.True);
        Assert.That(typeof(ReactorLoop).GetMethod(nameof(ReactorLoop.ListenUnixDatagram))!.ReturnType.IsInterface, Is.True);
        Assert.That(typeof(ReactorLoop).GetMethod(nameof(ReactorLoop.AdoptDatagramPort))!.ReturnType.IsInterface, Is.True);
    }

    private static bool ReturnsConcreteReactorClass(Type type)
    {
        if (type.IsGenericType) type = type.GetGenericTypeDefinition();
        if (!type.IsClass || type.Assembly != typeof(ReactorLoop).Assembly) return false;
        return !AllowedConcrete.Contains(type);
    }
}
