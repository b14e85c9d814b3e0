using Reactor.Protocols;

namespace Reactor.Net.Tls.Internal;

/// <summary>
/// Calls into the transport underneath. After STARTTLS that transport is also the one the
/// application holds, and it sends the application's calls up to this layer; while this layer
/// calls down it must not, so each call down is marked (<see cref="IsCallingDown"/>).
/// </summary>
internal sealed partial class TlsLayer
{
    private int _callingDown;

    /// <summary>
    /// True while this layer is calling the transport underneath: a transport that redirects its
    /// own public members to this layer after STARTTLS runs them itself instead.
    /// </summary>
    internal bool IsCallingDown => _callingDown > 0;

    /// <summary>
    /// Clears <see cref="IsCallingDown"/> while the transport calls back up into application code
    /// (a producer paused from inside a write), so the application's calls go through TLS.
    /// </summary>
    internal int SuspendCallingDown()
    {
        var depth = _callingDown;
        _callingDown = 0;
        return depth;
    }

    /// <summary>Restores what <see cref="SuspendCallingDown"/> cleared.</summary>
    internal void RestoreCallingDown(int depth) => _callingDown = depth;

    private void DownWrite(ReadOnlySpan<byte> data)
    {
        _callingDown++;
        try
        {
            _underlying!.Write(data);
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownLoseConnection()
    {
        _callingDown++;
        try
        {
            _underlying!.LoseConnection();
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownLoseWriteConnection()
    {
        _callingDown++;
        try
        {
            _underlying!.LoseWriteConnection();
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownAbortConnection()
    {
        _callingDown++;
        try
        {
            _underlying!.AbortConnection();
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownPauseProducing()
    {
        _callingDown++;
        try
        {
            _underlying!.PauseProducing();
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownResumeProducing()
    {
        _callingDown++;
        try
        {
            _underlying!.ResumeProducing();
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownRegisterProducer(IProducer producer, bool streaming)
    {
        _callingDown++;
        try
        {
            _underlying!.RegisterProducer(producer, streaming);
        }
        finally
        {
            _callingDown--;
        }
    }

    private void DownUnregisterProducer()
    {
        _callingDown++;
        try
        {
            _underlying!.UnregisterProducer();
        }
        finally
        {
            _callingDown--;
        }
    }
}
