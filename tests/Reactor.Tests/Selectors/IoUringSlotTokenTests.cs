using System.Net;
using System.Net.Sockets;
using Reactor.Core;
using Reactor.Core.Internal;
using Reactor.Native;
using Reactor.Selectors;
using Reactor.Tests.Core;
using Reactor.Tests.Net;
using Reactor.Tests.Net.Udp;

namespace Reactor.Tests.Selectors;

/// <summary>
/// The io_uring backend's poll requests name the caller's slot, not the descriptor: the user data
/// handed to the kernel is <c>generation &lt;&lt; 32 | slot</c> with the slot taken from the token's low
/// 32 bits, so a completion reaches the registration by that one index (the reactor's descriptor
/// table uses the same number). Watched through <see cref="RecordingIoUring"/> against the real kernel.
/// </summary>
public sealed class IoUringSlotTokenTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private const uint GenerationMask = (1u << 30) - 1;

    private RecordingIoUring _kernel = null!;
    private IoUringSelector _selector = null!;
    private SocketPairs _pairs = null!;
    private readonly SelectorEvent[] _events = new SelectorEvent[64];
    private readonly List<SelectorEvent> _reported = [];

    [SetUp]
    public void SetUp()
    {
        if (SelectorFactory.IoUringUnavailableReason is { } why) Assert.Ignore($"io_uring is not usable here: {why}");
        _kernel = new RecordingIoUring();
        _selector = IoUringSelector.TryCreateWith(_kernel, LibcSyscalls.Instance, out var whyNot)
            ?? throw new InvalidOperationException($"io_uring refused: {whyNot}");
        _pairs = new SocketPairs();
        _reported.Clear(); // one fixture instance runs every test
    }

    [TearDown]
    public void TearDown()
    {
        _selector?.Dispose();
        _pairs?.Dispose();
    }

    private static long Token(uint generation, int slot) => ((long)generation << 32) | (uint)slot;

    private static uint SlotOf(ulong userData) => (uint)userData;

    private static uint GenerationOf(ulong userData) => (uint)(userData >> 32) & GenerationMask;

    [Test]
    public void APollRequestCarriesTheTokensSlotNotTheDescriptor()
    {
        (int local, int peer) = _pairs.Create();
        Assume.That(local, Is.Not.EqualTo(3), "the point is a slot that differs from the descriptor number");
        long token = Token(5, 3);
        _selector.Register(local, Interest.Read, token);
        _selector.Wait(_events, TimeSpan.Zero);

        var add = LastPollAdd(local);
        Assert.That(SlotOf(add.UserData), Is.EqualTo(3u), "the slot, not the descriptor, in the user data");
        Assert.That(add.UserData >> 62, Is.Zero, "the poll kind");

        SocketPairs.Send(peer);
        Assert.That(WaitForToken(token).Events, Is.EqualTo(SelectorEvents.Readable));
        _kernel.CopyCompletions();
        Assert.That(_kernel.Completed.Select(c => c.UserData), Does.Contain(add.UserData), "the kernel gave the slot back");
    }

    [Test]
    public void TwoDescriptorsOnTwoSlotsReportTheirOwnTokens()
    {
        (int first, int firstPeer) = _pairs.Create();
        (int second, int secondPeer) = _pairs.Create();
        // The later (higher) descriptor takes the lower slot, so neither matches by accident.
        long firstToken = Token(1, 2);
        long secondToken = Token(9, 1);
        _selector.Register(first, Interest.Read, firstToken);
        _selector.Register(second, Interest.Read, secondToken);
        SocketPairs.Send(firstPeer);
        SocketPairs.Send(secondPeer);

        WaitUntil(() => Reported(firstToken) && Reported(secondToken), "both reports");
        Assert.That(SlotOf(LastPollAdd(first).UserData), Is.EqualTo(2u));
        Assert.That(SlotOf(LastPollAdd(second).UserData), Is.EqualTo(1u));
        Assert.That(_reported.Select(e => e.Token).Distinct(), Is.EquivalentTo(new[] { firstToken, secondToken }));
    }

    [Test]
    public void ACompletionForASlotReusedByAnotherDescriptorIsDroppedAndTheNewOneReportsItsOwnToken()
    {
        (int old, int oldPeer) = _pairs.Create();
        (int reused, int reusedPeer) = _pairs.Create();
        long oldToken = Token(1, 3);
        long newToken = Token(2, 3);
        _selector.Register(old, Interest.Read, oldToken);
        _selector.Wait(_events, TimeSpan.Zero); // the poll is in the kernel
        ulong oldData = LastPollAdd(old).UserData;

        // The old descriptor's poll fires (or is cancelled) after its slot went to another descriptor.
        SocketPairs.Send(oldPeer);
        _selector.Unregister(old);
        _selector.Register(reused, Interest.Read, newToken);
        Pump(TimeSpan.Zero); // submits the removal and the new poll, and reads what is there
        WaitUntil(() =>
        {
            _kernel.CopyCompletions();
            return _kernel.Completed.Any(c => c.UserData == oldData);
        }, "the old request's completion");

        Assert.That(_reported, Is.Empty, "the stale completion is dropped, not reported for either descriptor");
        ulong newData = LastPollAdd(reused).UserData;
        Assert.That(SlotOf(newData), Is.EqualTo(3u), "the same slot");
        Assert.That(GenerationOf(newData), Is.Not.EqualTo(GenerationOf(oldData)), "a new arm generation");

        SocketPairs.Send(reusedPeer);
        Assert.That(WaitForToken(newToken).Events, Is.EqualTo(SelectorEvents.Readable));
        Assert.That(_reported.Select(e => e.Token), Has.No.Member(oldToken));
    }

    [Test]
    public void ModifyCancelsTheArmedRequestAndArmsTheSlotAgain()
    {
        (int local, int peer) = _pairs.Create();
        long token = Token(4, 6);
        _selector.Register(local, Interest.Read, token);
        _selector.Wait(_events, TimeSpan.Zero);
        ulong readData = LastPollAdd(local).UserData;

        _selector.Modify(local, Interest.Write, token);
        Assert.That(WaitForToken(token).Events, Is.EqualTo(SelectorEvents.Writable));
        var remove = _kernel.Submitted.Single(s => s.Opcode == IoUringAbi.OpPollRemove);
        Assert.That(remove.Addr, Is.EqualTo(readData), "the read poll is cancelled by its own user data");
        ulong writeData = LastPollAdd(local).UserData;
        Assert.That(SlotOf(writeData), Is.EqualTo(6u));
        Assert.That(GenerationOf(writeData), Is.Not.EqualTo(GenerationOf(readData)));

        // Same slot, a new token generation: the next report carries it.
        long next = Token(5, 6);
        _selector.Modify(local, Interest.Read, next);
        SocketPairs.Send(peer);
        Assert.That(WaitForToken(next).Events, Is.EqualTo(SelectorEvents.Readable));
        Assert.That(SlotOf(LastPollAdd(local).UserData), Is.EqualTo(6u));
    }

    [Test]
    public void TokensThatCannotBeSlotsFallBackToAnIndexOfTheSelectorsOwn()
    {
        (int first, int firstPeer) = _pairs.Create();
        (int shared, int sharedPeer) = _pairs.Create();
        (int far, int farPeer) = _pairs.Create();
        _selector.Register(first, Interest.Read, 7);
        _selector.Register(shared, Interest.Read, 7);  // slot 7 is taken
        _selector.Modify(shared, Interest.Read, 8);    // a token that moves slots: the entry stays put
        long farToken = Token(0, unchecked((int)0xFFFF_FFF0)); // a slot no array should be grown to
        _selector.Register(far, Interest.Read, farToken);
        SocketPairs.Send(firstPeer);
        SocketPairs.Send(sharedPeer);
        SocketPairs.Send(farPeer);

        WaitUntil(() => Reported(7) && Reported(8) && Reported(farToken), "all three reports");
        Assert.That(SlotOf(LastPollAdd(first).UserData), Is.EqualTo(7u));
        Assert.That(SlotOf(LastPollAdd(shared).UserData), Is.Not.EqualTo(7u));
        Assert.That(SlotOf(LastPollAdd(far).UserData), Is.LessThan(1024u), "a small index of the selector's own");

        // Unregistering frees the spare index; the descriptor can come back on its own slot.
        _selector.Unregister(shared);
        _selector.Register(shared, Interest.Read, 8);
        _selector.Wait(_events, TimeSpan.Zero);
        Assert.That(SlotOf(LastPollAdd(shared).UserData), Is.EqualTo(8u));
    }

    [Test]
    public void InAReactorTheKernelHandsBackTheSlotAndTheReadReachesItsDescriptor()
    {
        using var reactor = ReactorLoop.Create(new ReactorOptions
        {
            SelectorFactory = () => IoUringSelector.TryCreateWith(_kernel, LibcSyscalls.Instance, out _)!,
        });
        (int quiet, _) = _pairs.Create();
        (int busy, int busyPeer) = _pairs.Create();
        var quietReader = new ScriptedDescriptor(quiet);
        var busyReader = new ScriptedDescriptor(busy) { OnRead = () => SocketPairs.Drain(busy) == 0 ? new EndOfStreamException() : null };
        reactor.AddReader(quietReader);
        reactor.AddReader(busyReader);
        var protocol = new RecordingDatagramProtocol();
        var port = reactor.ListenUdp(0, protocol, "127.0.0.1");

        SocketPairs.Send(busyPeer);
        using (var sender = new UdpClient(AddressFamily.InterNetwork))
            sender.Send([1, 2, 3], (IPEndPoint)port.GetHost());
        reactor.RunUntil(() => busyReader.Reads > 0 && protocol.Received.Count == 1, "the read and the datagram");

        Assert.That(quietReader.Reads, Is.Zero, "the other slot's descriptor is not called");
        // The loop's slots are dense from 0; the kernel was given them, not the descriptor numbers.
        var slots = new[] { quiet, busy }.Select(fd => SlotOf(LastPollAdd(fd).UserData)).ToArray();
        Assert.That(slots, Is.Unique.And.All.LessThan(3u));
        int portFd = ((IFileDescriptor)port).FileDescriptor;
        long portToken = ((ISlotHolder)port).SlotToken;
        Assert.That(SlotOf(LastPollAdd(portFd).UserData), Is.EqualTo((uint)portToken), "the UDP port's poll names the slot its token holds");
        port.StopListening();
    }

    private RecordingIoUring.Submission LastPollAdd(int fd) =>
        _kernel.Submitted.Last(s => s.Opcode == IoUringAbi.OpPollAdd && s.Fd == fd);

    private bool Reported(long token) => _reported.Any(e => e.Token == token);

    private SelectorEvent WaitForToken(long token)
    {
        WaitUntil(() => Reported(token), $"a report for token {token}");
        return _reported.Last(e => e.Token == token);
    }

    private void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what} did not come within {Deadline}");
            Pump(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>One wait; its reports join <see cref="_reported"/>.</summary>
    private void Pump(TimeSpan timeout)
    {
        int n = _selector.Wait(_events, timeout);
        for (int i = 0; i < n; i++) _reported.Add(_events[i]);
    }
}
