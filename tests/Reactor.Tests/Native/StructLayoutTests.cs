using System.Runtime.CompilerServices;
using Reactor.Native;

namespace Reactor.Tests.Native;

/// <summary>Pins every kernel struct's size and field offsets to the C headers' (research/selectors.md §8).</summary>
public sealed unsafe class StructLayoutTests
{
    private static int OffsetOf<T>(ref T start, ref byte field) =>
        (int)Unsafe.ByteOffset(ref Unsafe.As<T, byte>(ref start), ref field);

    [Test]
    public void PollFdIsEightBytes()
    {
        PollFd p = default;
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<PollFd>(), Is.EqualTo(8));
            Assert.That(OffsetOf(ref p, ref Unsafe.As<short, byte>(ref p.Events)), Is.EqualTo(4));
            Assert.That(OffsetOf(ref p, ref Unsafe.As<short, byte>(ref p.REvents)), Is.EqualTo(6));
        });
    }

    [Test]
    public void EpollEventPackedIsTwelveBytesWithDataAtFour()
    {
        EpollEventPacked e = default;
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<EpollEventPacked>(), Is.EqualTo(12));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<ulong, byte>(ref e.Data)), Is.EqualTo(4));
        });
    }

    [Test]
    public void EpollEventAlignedIsSixteenBytesWithDataAtEight()
    {
        EpollEventAligned e = default;
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<EpollEventAligned>(), Is.EqualTo(16));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<ulong, byte>(ref e.Data)), Is.EqualTo(8));
        });
    }

    [Test]
    public void EpollLayoutFollowsTheArchitecture()
    {
        bool x86 = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
            is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.X86;
        Assert.That(EpollEventLayout.Size, Is.EqualTo(x86 ? 12 : 16));
    }

    [Test]
    public void EpollLayoutRoundTripsEntries()
    {
        byte* buffer = stackalloc byte[3 * 16];
        EpollEventLayout.Set(buffer, 0, 0x11, 0x0102030405060708);
        EpollEventLayout.Set(buffer, 1, 0x22, ulong.MaxValue);
        EpollEventLayout.Set(buffer, 2, 0x33, 7);
        Assert.Multiple(() =>
        {
            Assert.That(EpollEventLayout.GetEvents(buffer, 0), Is.EqualTo(0x11u));
            Assert.That(EpollEventLayout.GetData(buffer, 0), Is.EqualTo(0x0102030405060708UL));
            Assert.That(EpollEventLayout.GetEvents(buffer, 1), Is.EqualTo(0x22u));
            Assert.That(EpollEventLayout.GetData(buffer, 1), Is.EqualTo(ulong.MaxValue));
            Assert.That(EpollEventLayout.GetEvents(buffer, 2), Is.EqualTo(0x33u));
            Assert.That(EpollEventLayout.GetData(buffer, 2), Is.EqualTo(7UL));
        });
    }

    [Test]
    public void DarwinKeventIsThirtyTwoBytes()
    {
        KEvent32 e = default;
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<KEvent32>(), Is.EqualTo(32));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<short, byte>(ref e.Filter)), Is.EqualTo(8));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<ushort, byte>(ref e.Flags)), Is.EqualTo(10));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<uint, byte>(ref e.FFlags)), Is.EqualTo(12));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<nint, byte>(ref e.Data)), Is.EqualTo(16));
            Assert.That(OffsetOf(ref e, ref Unsafe.As<nint, byte>(ref e.UData)), Is.EqualTo(24));
        });
    }

    [Test]
    public void FreeBsdKeventIsSixtyFourBytesWithExtensionWords()
    {
        KEvent64 e = default;
        byte* origin = (byte*)&e;
        int[] offsets =
        [
            (int)((byte*)&e.Filter - origin), (int)((byte*)&e.Flags - origin), (int)((byte*)&e.FFlags - origin),
            (int)((byte*)&e.Data - origin), (int)((byte*)&e.UData - origin), (int)((byte*)&e.Ext[0] - origin),
        ];
        Assert.That(Unsafe.SizeOf<KEvent64>(), Is.EqualTo(64));
        Assert.That(offsets, Is.EqualTo(new[] { 8, 10, 12, 16, 24, 32 }));
    }

    // KeventAbi is internal, and NUnit needs public test methods: the cases carry its number.
    [TestCase(0, 32, (short)-10)]
    [TestCase(1, 64, (short)-11)]
    [TestCase(2, 32, (short)-11)]
    public void KeventAbiSizesAndUserFilter(int abiNumber, int size, short userFilter)
    {
        var abi = (KeventAbi)abiNumber;
        Assert.Multiple(() =>
        {
            Assert.That(KeventLayout.SizeOf(abi), Is.EqualTo(size));
            Assert.That(KeventLayout.UserFilter(abi), Is.EqualTo(userFilter));
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public void KeventLayoutRoundTripsEntries(int abiNumber)
    {
        var abi = (KeventAbi)abiNumber;
        byte* buffer = stackalloc byte[2 * 64];
        new Span<byte>(buffer, 128).Fill(0xAB);
        KeventLayout.Set(abi, buffer, 1, 42, NativeConstants.EVFILT_WRITE, NativeConstants.EV_ADD, 5, 77, 9);
        KeventLayout.Get(abi, buffer, 1, out nuint ident, out short filter, out ushort flags, out uint fflags, out long data);
        Assert.Multiple(() =>
        {
            Assert.That(ident, Is.EqualTo((nuint)42));
            Assert.That(filter, Is.EqualTo(NativeConstants.EVFILT_WRITE));
            Assert.That(flags, Is.EqualTo(NativeConstants.EV_ADD));
            Assert.That(fflags, Is.EqualTo(5u));
            Assert.That(data, Is.EqualTo(77L));
            Assert.That(buffer[0], Is.EqualTo(0xAB), "entry 0 must be untouched");
        });
    }

    [Test]
    public void TimeStructsAndFdSetMatchTheHeaders()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Unsafe.SizeOf<TimeSpec>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<TimeVal>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<RLimit>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<IoVec>(), Is.EqualTo(16));
            Assert.That(Unsafe.SizeOf<FdSet>(), Is.EqualTo(NativeConstants.FD_SETSIZE / 8));
        });
    }

    [Test]
    public void FdSetBitsLandWhereTheCMacrosPutThem()
    {
        FdSet set = default;
        set.Add(0);
        set.Add(9);
        set.Add(1023);
        byte* bytes = (byte*)&set;
        (byte first, byte second, byte last) = (bytes[0], bytes[1], bytes[127]);
        (bool nine, bool ten) = (set.Contains(9), set.Contains(10));
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(1));
            Assert.That(second, Is.EqualTo(1 << 1));
            Assert.That(last, Is.EqualTo(0x80));
            Assert.That(nine, Is.True);
            Assert.That(ten, Is.False);
        });
        set.Remove(9);
        Assert.That(set.Contains(9), Is.False);
    }
}
