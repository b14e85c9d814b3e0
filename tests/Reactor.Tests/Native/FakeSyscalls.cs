using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Tests.Native;

/// <summary>
/// A scriptable <see cref="ISyscalls"/> with no kernel behind it, for injecting EINTR, EAGAIN,
/// short writes and spurious hang-ups. Descriptors it creates are numbered from 100; every wait
/// call takes the next scripted handler (none left: a timeout, 0 events); byte I/O goes through
/// overridable handlers whose defaults say "would block".
/// </summary>
internal sealed unsafe class FakeSyscalls : ISyscalls
{
    /// <summary>A scripted epoll_wait: fill <paramref name="events"/> (see <see cref="EpollEventLayout"/>), return the count.</summary>
    public delegate int EpollWaitScript(void* events, int maxEvents, int timeoutMilliseconds, out Errno errno);

    /// <summary>A scripted poll: set revents in <paramref name="fds"/>, return the count.</summary>
    public delegate int PollScript(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno);

    /// <summary>A scripted select: edit the sets, return the count.</summary>
    public delegate int SelectScript(int nfds, FdSet* read, FdSet* write, out Errno errno);

    /// <summary>A scripted kevent wait (no changes): fill <paramref name="events"/> (see <see cref="KeventLayout"/>), return the count.</summary>
    public delegate int KeventScript(void* events, int eventCount, out Errno errno);

    /// <summary>A byte transfer (read, write, recv, send): return the count or −1 with an errno.</summary>
    public delegate nint TransferHandler(int fd, byte* buffer, nint count, out Errno errno);

    private int _nextFd = 100;

    /// <summary>Scripted epoll_wait results, consumed in order.</summary>
    public Queue<EpollWaitScript> EpollWaits { get; } = new();

    /// <summary>Scripted poll results, consumed in order.</summary>
    public Queue<PollScript> Polls { get; } = new();

    /// <summary>Scripted select results, consumed in order.</summary>
    public Queue<SelectScript> Selects { get; } = new();

    /// <summary>Scripted kevent waits, consumed in order.</summary>
    public Queue<KeventScript> KeventWaits { get; } = new();

    /// <summary>Every epoll_ctl: (operation, fd, events).</summary>
    public List<(int Operation, int Fd, uint Events)> EpollChanges { get; } = [];

    /// <summary>epoll_ctl operations (EPOLL_CTL_ADD, MOD, DEL) that fail with the given errno.</summary>
    public Dictionary<int, Errno> EpollCtlErrors { get; } = [];

    /// <summary>The epoll data each registered descriptor was last given, as the kernel keeps it.</summary>
    public Dictionary<int, ulong> EpollData { get; } = [];

    /// <summary>Every kevent change: (ident, filter, flags, fflags).</summary>
    public List<(nuint Ident, short Filter, ushort Flags, uint FFlags)> KeventChanges { get; } = [];

    /// <summary>The udata each (ident, filter) was last added with, as the kernel keeps it.</summary>
    public Dictionary<(nuint Ident, short Filter), long> KeventUData { get; } = [];

    /// <summary>The errno each kevent change's receipt reports (default success); keyed by (ident, filter, flags without EV_RECEIPT).</summary>
    public Dictionary<(nuint Ident, short Filter, ushort Flags), Errno> KeventChangeErrors { get; } = [];

    /// <summary>Descriptors fcntl reports as closed (EBADF).</summary>
    public HashSet<int> ClosedDescriptors { get; } = [];

    /// <summary>Every descriptor closed through <see cref="Close"/>.</summary>
    public List<int> Closed { get; } = [];

    /// <summary>read(2) (default: EAGAIN).</summary>
    public TransferHandler OnRead { get; set; } = WouldBlock;

    /// <summary>write(2) (default: everything written).</summary>
    public TransferHandler OnWrite { get; set; } = AllWritten;

    /// <summary>recv(2) (default: EAGAIN).</summary>
    public TransferHandler OnRecv { get; set; } = WouldBlock;

    /// <summary>send(2) (default: everything sent).</summary>
    public TransferHandler OnSend { get; set; } = AllWritten;

    /// <summary>How many write(2) calls were made.</summary>
    public int Writes { get; private set; }

    /// <summary>How many wait calls (epoll_wait, poll, select, kevent without changes) were made.</summary>
    public int WaitCalls { get; private set; }

    /// <inheritdoc/>
    public bool IsKqueueAvailable => true;

    /// <inheritdoc/>
    public KeventAbi KeventAbi { get; set; } = KeventAbi.Darwin;

    /// <summary>"Would block".</summary>
    public static nint WouldBlock(int fd, byte* buffer, nint count, out Errno errno)
    {
        errno = Errno.EAGAIN;
        return -1;
    }

    /// <summary>Everything transferred.</summary>
    public static nint AllWritten(int fd, byte* buffer, nint count, out Errno errno)
    {
        errno = Errno.Success;
        return count;
    }

    public nint Read(int fd, byte* buffer, nint count, out Errno errno) => OnRead(fd, buffer, count, out errno);

    public nint Write(int fd, byte* buffer, nint count, out Errno errno)
    {
        Writes++;
        return OnWrite(fd, buffer, count, out errno);
    }

    public nint Readv(int fd, IoVec* vectors, int count, out Errno errno) => OnRead(fd, vectors[0].Base, (nint)vectors[0].Length, out errno);

    public nint Writev(int fd, IoVec* vectors, int count, out Errno errno) => OnWrite(fd, vectors[0].Base, (nint)vectors[0].Length, out errno);

    public int Close(int fd, out Errno errno)
    {
        Closed.Add(fd);
        errno = Errno.Success;
        return 0;
    }

    public int SetNonBlocking(int fd, bool nonBlocking, out Errno errno) => Ok(out errno);

    public int Fcntl(int fd, int command, nint argument, out Errno errno)
    {
        if (ClosedDescriptors.Contains(fd))
        {
            errno = Errno.EBADF;
            return -1;
        }

        return Ok(out errno);
    }

    public int CreatePipe(out int readFd, out int writeFd, out Errno errno)
    {
        readFd = _nextFd++;
        writeFd = _nextFd++;
        return Ok(out errno);
    }

    public int CreateEventFd(out Errno errno)
    {
        errno = Errno.Success;
        return _nextFd++;
    }

    public nint Recv(int fd, byte* buffer, nint length, out Errno errno) => OnRecv(fd, buffer, length, out errno);

    public nint Send(int fd, byte* buffer, nint length, out Errno errno) => OnSend(fd, buffer, length, out errno);

    public int Accept(int fd, byte* address, int* addressLength, out Errno errno)
    {
        errno = Errno.EAGAIN;
        return -1;
    }

    public int Shutdown(int fd, SocketShutdown how, out Errno errno) => Ok(out errno);

    public int GetSockOpt(int fd, int level, int name, void* value, int* length, out Errno errno) => Ok(out errno);

    public int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno) => Ok(out errno);

    public int GetSocketError(int fd, out Errno pending, out Errno errno)
    {
        pending = Errno.Success;
        return Ok(out errno);
    }

    public int CreateSocketPair(int type, out int fd0, out int fd1, out Errno errno)
    {
        fd0 = _nextFd++;
        fd1 = _nextFd++;
        return Ok(out errno);
    }

    // Socket set-up: a socket is a new fake descriptor; binding, listening and connecting succeed;
    // there are no addresses to name (ENOTCONN) and no files to send (ENOSYS: read and write instead).

    public nint SendFile(int outFd, int inFd, long* offset, nuint count, out Errno errno)
    {
        errno = Errno.ENOSYS;
        return -1;
    }

    public int Socket(int domain, int type, int protocol, out Errno errno)
    {
        errno = Errno.Success;
        return _nextFd++;
    }

    public int Bind(int fd, byte* address, int length, out Errno errno) => Ok(out errno);

    public int Listen(int fd, int backlog, out Errno errno) => Ok(out errno);

    public int Connect(int fd, byte* address, int length, out Errno errno) => Ok(out errno);

    public int GetSockName(int fd, byte* address, int* length, out Errno errno) => NotConnected(out errno);

    public int GetPeerName(int fd, byte* address, int* length, out Errno errno) => NotConnected(out errno);

    // Files: none exist (ENOENT), modes and locks are granted, and no other process is alive (ESRCH).

    public int Open(string path, int flags, int mode, out Errno errno)
    {
        errno = Errno.ENOENT;
        return -1;
    }

    public int ChangeMode(string path, int mode, out Errno errno) => Ok(out errno);

    public int ChangeDescriptorMode(int fd, int mode, out Errno errno) => Ok(out errno);

    public int Flock(int fd, int operation, out Errno errno) => Ok(out errno);

    public int Ftruncate(int fd, long length, out Errno errno) => Ok(out errno);

    public int ProbeProcess(int pid, out Errno errno)
    {
        errno = DatagramConstants.ESRCH;
        return -1;
    }

    private static int NotConnected(out Errno errno)
    {
        errno = Errno.ENOTCONN;
        return -1;
    }

    public int GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno)
    {
        (soft, hard) = (1024, 4096);
        return Ok(out errno);
    }

    public int SetOpenFileLimit(ulong soft, ulong hard, out Errno errno) => Ok(out errno);

    public int EpollCreate(out Errno errno)
    {
        errno = Errno.Success;
        return _nextFd++;
    }

    public int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno)
    {
        EpollChanges.Add((operation, fd, events));
        if (EpollCtlErrors.TryGetValue(operation, out Errno refused))
        {
            errno = refused;
            return -1;
        }

        if (operation == NativeConstants.EPOLL_CTL_DEL) EpollData.Remove(fd);
        else EpollData[fd] = data;
        return Ok(out errno);
    }

    public int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno)
    {
        WaitCalls++;
        if (EpollWaits.TryDequeue(out EpollWaitScript? script)) return script(events, maxEvents, timeoutMilliseconds, out errno);
        return Ok(out errno);
    }

    public int Poll(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno)
    {
        WaitCalls++;
        if (Polls.TryDequeue(out PollScript? script)) return script(fds, count, timeoutMilliseconds, out errno);
        return Ok(out errno);
    }

    public int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout, out Errno errno)
    {
        WaitCalls++;
        if (Selects.TryDequeue(out SelectScript? script)) return script(nfds, read, write, out errno);
        read->Clear();
        write->Clear();
        return Ok(out errno);
    }

    public int Kqueue(out Errno errno)
    {
        errno = Errno.Success;
        return _nextFd++;
    }

    public int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno)
    {
        if (changeCount > 0)
        {
            for (int i = 0; i < changeCount; i++)
            {
                KeventLayout.Get(KeventAbi, changes, i, out nuint ident, out short filter, out ushort flags, out uint fflags, out _);
                KeventChanges.Add((ident, filter, flags, fflags));
                if ((flags & NativeConstants.EV_ADD) != 0) KeventUData[(ident, filter)] = KeventLayout.GetUData(KeventAbi, changes, i);
                else if ((flags & NativeConstants.EV_DELETE) != 0) KeventUData.Remove((ident, filter));
                if (i < eventCount)
                {
                    ushort plain = (ushort)(flags & ~NativeConstants.EV_RECEIPT);
                    Errno outcome = KeventChangeErrors.GetValueOrDefault((ident, filter, plain));
                    KeventLayout.Set(KeventAbi, events, i, ident, filter, NativeConstants.EV_ERROR, 0, outcome.Value, 0);
                }
            }

            errno = Errno.Success;
            return Math.Min(changeCount, eventCount);
        }

        WaitCalls++;
        if (KeventWaits.TryDequeue(out KeventScript? script)) return script(events, eventCount, out errno);
        return Ok(out errno);
    }

    private static int Ok(out Errno errno)
    {
        errno = Errno.Success;
        return 0;
    }
}
