using Reactor.Core.Internal;
using Reactor.Core;
using Reactor.Defer;
using Reactor.Errors;
using Reactor.Selectors;

namespace Reactor;

public sealed partial class ReactorLoop
{
    /// <inheritdoc/>
    /// <remarks>Adding a reader already added does nothing. Level-triggered: DoRead is called at every iteration while the descriptor stays readable.</remarks>
    /// <exception cref="ArgumentException">The descriptor's FileDescriptor is negative (closed).</exception>
    public void AddReader(IReadDescriptor reader)
    {
        CheckReactorThread(nameof(AddReader));
        ArgumentNullException.ThrowIfNull(reader);
        ThrowIfDisposed();
        int slot = SlotForAdding(reader, nameof(reader));
        ref var s = ref _descriptors[slot];
        var previous = s.Reader;
        if (ReferenceEquals(previous, reader)) return;
        Interest before = s.Interest;
        uint generation = s.Generation;
        s.Reader = reader;
        Attach(slot, reader, asReader: true, previous, before, generation);
    }

    /// <inheritdoc/>
    /// <remarks>Adding a writer already added does nothing.</remarks>
    /// <exception cref="ArgumentException">The descriptor's FileDescriptor is negative (closed).</exception>
    public void AddWriter(IWriteDescriptor writer)
    {
        CheckReactorThread(nameof(AddWriter));
        ArgumentNullException.ThrowIfNull(writer);
        ThrowIfDisposed();
        int slot = SlotForAdding(writer, nameof(writer));
        ref var s = ref _descriptors[slot];
        var previous = s.Writer;
        if (ReferenceEquals(previous, writer)) return;
        Interest before = s.Interest;
        uint generation = s.Generation;
        s.Writer = writer;
        Attach(slot, writer, asReader: false, previous, before, generation);
    }

    /// <inheritdoc/>
    /// <remarks>O(1): the reactor's own transports hold their slot's token; other descriptors are found by reference.</remarks>
    public void RemoveReader(IReadDescriptor reader)
    {
        CheckReactorThread(nameof(RemoveReader));
        ArgumentNullException.ThrowIfNull(reader);
        if (_disposed) return;
        int slot = _descriptors.Find(reader);
        if (slot < 0 || !ReferenceEquals(_descriptors[slot].Reader, reader)) return;
        ref var s = ref _descriptors[slot];
        Interest before = s.Interest;
        s.Reader = null;
        _descriptors.DetachIfUnused(slot, reader);
        TellSelector(slot, before);
    }

    /// <inheritdoc/>
    /// <remarks>O(1), as <see cref="RemoveReader"/>.</remarks>
    public void RemoveWriter(IWriteDescriptor writer)
    {
        CheckReactorThread(nameof(RemoveWriter));
        ArgumentNullException.ThrowIfNull(writer);
        if (_disposed) return;
        int slot = _descriptors.Find(writer);
        if (slot < 0 || !ReferenceEquals(_descriptors[slot].Writer, writer)) return;
        ref var s = ref _descriptors[slot];
        Interest before = s.Interest;
        s.Writer = null;
        _descriptors.DetachIfUnused(slot, writer);
        TellSelector(slot, before);
    }

    /// <inheritdoc/>
    /// <remarks>Each descriptor appears once, even if it was both reader and writer. The reactor's own wake-up descriptor is not among them.</remarks>
    public IReadOnlyList<IFileDescriptor> RemoveAll()
    {
        var removed = new List<IFileDescriptor>();
        if (_disposed) return removed;
        for (int slot = 0; slot < _descriptors.HighWater; slot++)
        {
            ref var s = ref _descriptors[slot];
            if (!s.InUse) continue;
            if (s.Reader is not null) removed.Add(s.Reader);
            if (s.Writer is not null && !ReferenceEquals(s.Writer, s.Reader)) removed.Add(s.Writer);
            ReleaseSlot(slot, registered: true);
        }
        return removed;
    }

    /// <inheritdoc/>
    public IReadOnlyList<IReadDescriptor> GetReaders()
    {
        var readers = new List<IReadDescriptor>();
        for (int slot = 0; slot < _descriptors.HighWater; slot++)
        {
            if (_descriptors[slot].Reader is { } r) readers.Add(r);
        }
        return readers;
    }

    /// <inheritdoc/>
    public IReadOnlyList<IWriteDescriptor> GetWriters()
    {
        var writers = new List<IWriteDescriptor>();
        for (int slot = 0; slot < _descriptors.HighWater; slot++)
        {
            if (_descriptors[slot].Writer is { } w) writers.Add(w);
        }
        return writers;
    }

    /// <summary>
    /// Drops <paramref name="descriptor"/>'s registrations because it is closed right after
    /// (<see cref="Net.Internal.ITransportHost.RemoveBeforeClose"/>): the selector may skip its
    /// system call. A slot shared with another object falls back to the ordinary removal.
    /// </summary>
    internal void RemoveBeforeClose(IFileDescriptor descriptor)
    {
        if (_disposed) return;
        int slot = _descriptors.Find(descriptor);
        if (slot < 0) return;
        ref var s = ref _descriptors[slot];
        bool reads = ReferenceEquals(s.Reader, descriptor);
        bool writes = ReferenceEquals(s.Writer, descriptor);
        if ((reads || s.Reader is null) && (writes || s.Writer is null))
        {
            int fd = s.Fd;
            _descriptors.Free(slot);
            _selector.UnregisterBeforeClose(fd);
            return;
        }
        if (reads) RemoveReader((IReadDescriptor)descriptor);
        if (writes) RemoveWriter((IWriteDescriptor)descriptor);
    }

    private int SlotForAdding(IFileDescriptor descriptor, string paramName)
    {
        int fd = descriptor.FileDescriptor;
        if (fd < 0) throw new ArgumentException($"The descriptor has no open file descriptor ({fd}).", paramName);
        return _descriptors.FindOrAllocate(descriptor, fd);
    }

    /// <summary>
    /// Links a descriptor just set as reader or writer to its slot and tells the selector; if the
    /// selector refuses, the slot is as it was (<paramref name="previous"/> back in its place, or freed when it was new).
    /// </summary>
    private void Attach(int slot, IFileDescriptor descriptor, bool asReader, IFileDescriptor? previous, Interest before, uint generation)
    {
        _descriptors.Attach(slot, descriptor);
        try
        {
            TellSelector(slot, before);
            if (previous is not null) _descriptors.DetachIfUnused(slot, previous);
        }
        catch
        {
            if (StillSame(slot, generation))
            {
                ref var s = ref _descriptors[slot];
                if (asReader) s.Reader = (IReadDescriptor?)previous;
                else s.Writer = (IWriteDescriptor?)previous;
                _descriptors.DetachIfUnused(slot, descriptor);
            }
            throw;
        }
    }

    /// <summary>
    /// Tells the selector the slot's interest changed from <paramref name="before"/>: registers, modifies,
    /// or unregisters and frees the slot. One system call at most (epoll_ctl ADD, MOD or DEL).
    /// </summary>
    private void TellSelector(int slot, Interest before)
    {
        ref var s = ref _descriptors[slot];
        Interest now = s.Interest;
        if (now == before) return;
        if (now == Interest.None)
        {
            ReleaseSlot(slot, registered: true);
            return;
        }
        long token = _descriptors.TokenOf(slot);
        if (before != Interest.None)
        {
            _selector.Modify(s.Fd, now, token);
            return;
        }
        try
        {
            _selector.Register(s.Fd, now, token);
        }
        catch
        {
            _descriptors.Free(slot);
            throw;
        }
    }

    private void ReleaseSlot(int slot, bool registered)
    {
        int fd = _descriptors[slot].Fd;
        _descriptors.Free(slot);
        if (registered) _selector.Unregister(fd);
    }

    /// <summary>
    /// The readiness being dispatched (events and the errno the selector carried with them), for the
    /// descriptor being called: a connect attempt must not read an error readiness as success, and a
    /// read of EOF must report the carried error (libkqueue clears SO_ERROR when it reports one).
    /// </summary>
    internal SelectorEvent CurrentReadiness { get; private set; }

    /// <summary>Routes one readiness event to its descriptor (Twisted's <c>_doReadOrWrite</c>).</summary>
    private void Dispatch(in SelectorEvent ev)
    {
        CurrentReadiness = ev;
        try
        {
            DispatchCurrent(ev);
        }
        finally
        {
            CurrentReadiness = default;
        }
    }

    private void DispatchCurrent(in SelectorEvent ev)
    {
        int slot = _descriptors.Resolve(ev.Token);
        if (slot < 0) return; // removed (or removed and reused) earlier in this batch
        ref var s = ref _descriptors[slot];
        uint generation = s.Generation;
        var events = ev.Events;

        if ((events & (SelectorEvents.Readable | SelectorEvents.Writable)) == 0)
        {
            // A hang-up or error and nothing to read or write that would reveal it.
            if ((events & (SelectorEvents.HangUp | SelectorEvents.Error)) != 0)
            {
                IFileDescriptor victim = (IFileDescriptor?)s.Reader ?? s.Writer!;
                Exception why = s.Reader is not null ? new ConnectionDone() : new ConnectionLost();
                Disconnect(slot, victim, why);
            }
            return;
        }

        if ((events & SelectorEvents.Readable) != 0 && s.Reader is { } reader)
        {
            Exception? why;
            try
            {
                why = reader.DoRead();
            }
            catch (Exception ex)
            {
                CoreLog.DescriptorFailed(Logger, ex, s.Fd, "DoRead");
                why = ex;
            }
            if (why is not null)
            {
                if (StillSame(slot, generation)) Disconnect(slot, reader, why);
                return;
            }
        }

        if ((events & SelectorEvents.Writable) != 0 && StillSame(slot, generation) && _descriptors[slot].Writer is { } writer)
        {
            Exception? why;
            try
            {
                why = writer.DoWrite();
            }
            catch (Exception ex)
            {
                CoreLog.DescriptorFailed(Logger, ex, _descriptors[slot].Fd, "DoWrite");
                why = ex;
            }
            if (why is not null && StillSame(slot, generation)) Disconnect(slot, writer, why);
        }
    }

    private bool StillSame(int slot, uint generation)
    {
        ref var s = ref _descriptors[slot];
        return s.Generation == generation && s.InUse;
    }

    /// <summary>
    /// Drops the slot (reader and writer) and tells the descriptor why, once; a different object
    /// registered on the same slot for the other direction is told too.
    /// </summary>
    private void Disconnect(int slot, IFileDescriptor failed, Exception why)
    {
        ref var s = ref _descriptors[slot];
        IFileDescriptor? other = ReferenceEquals(s.Reader, failed) ? s.Writer : s.Reader;
        ReleaseSlot(slot, registered: true);
        var failure = Failure.FromReactor(why);
        NotifyLost(failed, failure);
        if (other is not null && !ReferenceEquals(other, failed)) NotifyLost(other, failure);
    }

    private void NotifyLost(IFileDescriptor descriptor, Failure failure)
    {
        try
        {
            descriptor.ConnectionLost(failure);
        }
        catch (Exception ex)
        {
            CoreLog.UserCodeFailed(Logger, ex, "ConnectionLost");
        }
    }

    /// <summary>Removes every descriptor and calls its ConnectionLost with <see cref="ConnectionLost"/> (Twisted's disconnectAll).</summary>
    private void DisconnectAll()
    {
        var all = RemoveAll();
        var failure = Failure.FromReactor(new ConnectionLost());
        foreach (var descriptor in all) NotifyLost(descriptor, failure);
        DisconnectDriven(failure);
        DisconnectUnregistered(failure);
    }
}
