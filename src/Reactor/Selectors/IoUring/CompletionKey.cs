namespace Reactor.Selectors.IoUring;

/// <summary>
/// The <c>user_data</c> of a completion-mode request: which descriptor, which claim of it
/// (a generation, so a completion that arrives after the descriptor was released, closed and its
/// number reused is recognised and dropped), and which operation. The top two bits are the
/// selector's kind tag (<see cref="Kind"/>), which keeps these apart from poll requests.
/// </summary>
internal static class CompletionKey
{
    /// <summary>The kind tag of every completion-mode request (bits 62..63 = 3).</summary>
    public const ulong Kind = 3UL << 62;

    private const int GenerationShift = 32;
    private const int OperationShift = 56;
    private const uint GenerationMask = (1u << 24) - 1;

    /// <summary>The operations a claimed descriptor can have in flight.</summary>
    public enum Operation : byte
    {
        /// <summary>A multishot RECV selecting from the provided-buffer ring.</summary>
        Receive = 0,

        /// <summary>A multishot ACCEPT on a listening socket.</summary>
        Accept = 1,

        /// <summary>A SEND or SENDMSG (one in flight per descriptor, so it needs no generation).</summary>
        Send = 2,
    }

    /// <summary>The user data of <paramref name="operation"/> on <paramref name="fd"/>'s claim <paramref name="generation"/>.</summary>
    public static ulong Make(int fd, uint generation, Operation operation) =>
        Kind | ((ulong)operation << OperationShift) | ((ulong)(generation & GenerationMask) << GenerationShift) | (uint)fd;

    /// <summary>The descriptor a user data names.</summary>
    public static int Fd(ulong data) => (int)(uint)data;

    /// <summary>The claim generation a user data names.</summary>
    public static uint Generation(ulong data) => (uint)(data >> GenerationShift) & GenerationMask;

    /// <summary>The operation a user data names.</summary>
    public static Operation OperationOf(ulong data) => (Operation)((data >> OperationShift) & 0x3F);

    /// <summary>The generation after <paramref name="generation"/> (wrapping in 24 bits).</summary>
    public static uint Next(uint generation) => (generation + 1) & GenerationMask;
}
