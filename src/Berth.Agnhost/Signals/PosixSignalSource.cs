using System.Runtime.InteropServices;

namespace Berth.Agnhost.Signals;

/// <summary>The process's own signals through <see cref="PosixSignalRegistration"/>.</summary>
internal sealed class PosixSignalSource : ISignalSource
{
    public static readonly PosixSignalSource Instance = new();

    public IDisposable Register(PosixSignal signal, Action handler) => PosixSignalRegistration.Create(signal, context =>
    {
        // The subcommand decides when and with which code to exit, as agnhost's signal.Notify handlers do.
        context.Cancel = true;
        handler();
    });
}
