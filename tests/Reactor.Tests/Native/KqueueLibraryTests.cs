using Reactor.Native;

namespace Reactor.Tests.Native;

/// <summary>How the kqueue resolver reacts to what REACTOR_KQUEUE_LIBRARY may name.</summary>
public sealed class KqueueLibraryTests
{
    [Test]
    public void AMissingLibraryIsRefusedWithItsPath()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-kqueue-" + Guid.NewGuid().ToString("N") + ".so");
        Assert.That(KqueueLibrary.TryOpen(path, KeventAbi.LibKqueue, out KqueueLibrary? library, out string? reason), Is.False);
        Assert.That(library, Is.Null);
        Assert.That(reason, Does.Contain(path));
    }

    [Test]
    public void ALibraryWithoutKqueueIsRefused()
    {
        if (!NativePlatform.IsLinux) Assert.Ignore("glibc's libc.so.6 is the library known to lack kqueue");
        Assert.That(KqueueLibrary.TryOpen("libc.so.6", KeventAbi.LibKqueue, out _, out string? reason), Is.False);
        Assert.That(reason, Does.Contain("does not export kqueue and kevent"));
    }

    [Test]
    public void WhenKqueueIsUnavailableTheReasonPointsAtTheEnvironmentVariable()
    {
        if (KqueueLibrary.Instance is not null)
        {
            Assert.That(KqueueLibrary.Failure, Is.Null);
            Assert.That(LibcSyscalls.Instance.KeventAbi, Is.EqualTo(KqueueLibrary.Instance.Abi));
            return;
        }

        Assert.That(KqueueLibrary.Failure, Does.Contain(KqueueLibrary.EnvironmentVariable));
        Assert.That(LibcSyscalls.Instance.Kqueue(out Errno errno), Is.EqualTo(-1));
        Assert.That(errno, Is.EqualTo(Errno.ENOSYS));
    }
}
