using System.Net.Sockets;
using Reactor.Native;

namespace Reactor.Tests.Native;

/// <summary>The real kernel seam, every call virtual: a test overrides the calls it counts or breaks.</summary>
internal unsafe class ForwardingSyscalls(ISyscalls inner) : ISyscalls
{
    protected ISyscalls Inner { get; } = inner;

    public virtual nint Read(int fd, byte* buffer, nint count, out Errno errno) => Inner.Read(fd, buffer, count, out errno);
    public virtual nint Write(int fd, byte* buffer, nint count, out Errno errno) => Inner.Write(fd, buffer, count, out errno);
    public virtual nint Readv(int fd, IoVec* vectors, int count, out Errno errno) => Inner.Readv(fd, vectors, count, out errno);
    public virtual nint Writev(int fd, IoVec* vectors, int count, out Errno errno) => Inner.Writev(fd, vectors, count, out errno);
    public virtual int Close(int fd, out Errno errno) => Inner.Close(fd, out errno);
    public virtual int SetNonBlocking(int fd, bool nonBlocking, out Errno errno) => Inner.SetNonBlocking(fd, nonBlocking, out errno);
    public virtual int Fcntl(int fd, int command, nint argument, out Errno errno) => Inner.Fcntl(fd, command, argument, out errno);
    public virtual int CreatePipe(out int readFd, out int writeFd, out Errno errno) => Inner.CreatePipe(out readFd, out writeFd, out errno);
    public virtual int CreateEventFd(out Errno errno) => Inner.CreateEventFd(out errno);
    public virtual nint Recv(int fd, byte* buffer, nint length, out Errno errno) => Inner.Recv(fd, buffer, length, out errno);
    public virtual nint Send(int fd, byte* buffer, nint length, out Errno errno) => Inner.Send(fd, buffer, length, out errno);
    public virtual int Accept(int fd, byte* address, int* addressLength, out Errno errno) => Inner.Accept(fd, address, addressLength, out errno);
    public virtual int Shutdown(int fd, SocketShutdown how, out Errno errno) => Inner.Shutdown(fd, how, out errno);
    public virtual int GetSockOpt(int fd, int level, int name, void* value, int* length, out Errno errno) => Inner.GetSockOpt(fd, level, name, value, length, out errno);
    public virtual int SetSockOpt(int fd, int level, int name, void* value, int length, out Errno errno) => Inner.SetSockOpt(fd, level, name, value, length, out errno);
    public virtual int GetSocketError(int fd, out Errno pending, out Errno errno) => Inner.GetSocketError(fd, out pending, out errno);
    public virtual int CreateSocketPair(int type, out int fd0, out int fd1, out Errno errno) => Inner.CreateSocketPair(type, out fd0, out fd1, out errno);
    public virtual int GetOpenFileLimit(out ulong soft, out ulong hard, out Errno errno) => Inner.GetOpenFileLimit(out soft, out hard, out errno);
    public virtual int SetOpenFileLimit(ulong soft, ulong hard, out Errno errno) => Inner.SetOpenFileLimit(soft, hard, out errno);
    public virtual int EpollCreate(out Errno errno) => Inner.EpollCreate(out errno);
    public virtual int EpollCtl(int epfd, int operation, int fd, uint events, ulong data, out Errno errno) => Inner.EpollCtl(epfd, operation, fd, events, data, out errno);
    public virtual int EpollWait(int epfd, void* events, int maxEvents, int timeoutMilliseconds, out Errno errno) => Inner.EpollWait(epfd, events, maxEvents, timeoutMilliseconds, out errno);
    public virtual int Poll(PollFd* fds, int count, int timeoutMilliseconds, out Errno errno) => Inner.Poll(fds, count, timeoutMilliseconds, out errno);
    public virtual int Select(int nfds, FdSet* read, FdSet* write, FdSet* except, TimeVal* timeout, out Errno errno) => Inner.Select(nfds, read, write, except, timeout, out errno);
    public virtual int Kqueue(out Errno errno) => Inner.Kqueue(out errno);
    public virtual int Kevent(int kq, void* changes, int changeCount, void* events, int eventCount, TimeSpec* timeout, out Errno errno) => Inner.Kevent(kq, changes, changeCount, events, eventCount, timeout, out errno);
    public virtual bool IsKqueueAvailable => Inner.IsKqueueAvailable;
    public virtual KeventAbi KeventAbi => Inner.KeventAbi;
    public virtual nint SendFile(int outFd, int inFd, long* offset, nuint count, out Errno errno) => Inner.SendFile(outFd, inFd, offset, count, out errno);
    public virtual int Socket(int domain, int type, int protocol, out Errno errno) => Inner.Socket(domain, type, protocol, out errno);
    public virtual int Bind(int fd, byte* address, int length, out Errno errno) => Inner.Bind(fd, address, length, out errno);
    public virtual int Listen(int fd, int backlog, out Errno errno) => Inner.Listen(fd, backlog, out errno);
    public virtual int Connect(int fd, byte* address, int length, out Errno errno) => Inner.Connect(fd, address, length, out errno);
    public virtual int GetSockName(int fd, byte* address, int* length, out Errno errno) => Inner.GetSockName(fd, address, length, out errno);
    public virtual int GetPeerName(int fd, byte* address, int* length, out Errno errno) => Inner.GetPeerName(fd, address, length, out errno);
    public virtual int Open(string path, int flags, int mode, out Errno errno) => Inner.Open(path, flags, mode, out errno);
    public virtual int ChangeMode(string path, int mode, out Errno errno) => Inner.ChangeMode(path, mode, out errno);
    public virtual int ChangeDescriptorMode(int fd, int mode, out Errno errno) => Inner.ChangeDescriptorMode(fd, mode, out errno);
    public virtual int Flock(int fd, int operation, out Errno errno) => Inner.Flock(fd, operation, out errno);
    public virtual int Ftruncate(int fd, long length, out Errno errno) => Inner.Ftruncate(fd, length, out errno);
    public virtual int ProbeProcess(int pid, out Errno errno) => Inner.ProbeProcess(pid, out errno);
}
