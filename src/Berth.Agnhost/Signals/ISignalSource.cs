using System.Runtime.InteropServices;

namespace Berth.Agnhost.Signals;

/// <summary>Where a subcommand hears SIGTERM / SIGINT: the process's signals, or a test's fake.</summary>
internal interface ISignalSource
{
    /// <summary>Calls <paramref name="handler"/> on <paramref name="signal"/> instead of the default action.</summary>
    IDisposable Register(PosixSignal signal, Action handler);
}
