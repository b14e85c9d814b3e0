using Reactor.Defer;
using Reactor.Native;
using Reactor.Net.Stream;
using Reactor.Selectors;

namespace Reactor;

public sealed partial class ReactorLoop : IStreamCompletionSource
{
    private IoUringStreamDriver? _streamDriver;
    private bool _streamDriverTried;
    private IoUringAcceptDriver? _acceptDriver;

    /// <summary>
    /// On io_uring, the completion driver every TCP connection of this reactor uses (created with the
    /// first connection: it registers the provided-buffer ring); null on readiness backends, or where
    /// the kernel refused the buffer ring (then connections read on readiness and one line says why).
    /// </summary>
    IStreamCompletionDriver? IStreamCompletionSource.StreamDriver
    {
        get
        {
            if (_streamDriverTried) return _streamDriver;
            _streamDriverTried = true;
            if (_selector is IoUringSelector uring)
            {
                _streamDriver = IoUringStreamDriver.TryCreate(uring, LibcSyscalls.Instance, Logger, out var whyNot);
                if (_streamDriver is null) Selectors.Internal.SelectorLog.IoUringBufferRingRefused(Logger, whyNot ?? "unknown");
            }
            return _streamDriver;
        }
    }

    /// <summary>
    /// On io_uring, the multishot-accept driver every listening socket of this reactor uses (TCP and
    /// UNIX); null on readiness backends. Independent of the buffer ring: accepts need no buffers.
    /// </summary>
    IAcceptCompletionDriver? IStreamCompletionSource.AcceptDriver =>
        _selector is IoUringSelector uring ? _acceptDriver ??= new IoUringAcceptDriver(uring.Completions, Logger) : null;

    /// <summary>Connections the completion driver reads for are not in the descriptor table: tell them too (shutdown).</summary>
    private void DisconnectDriven(Failure failure)
    {
        if (_streamDriver is null) return;
        foreach (var transport in _streamDriver.Live()) NotifyLost(transport, failure);
    }
}
