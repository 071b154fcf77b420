using System.Runtime.InteropServices;
using Berth.Agnhost.Signals;

namespace Berth.Agnhost.Tests.Infrastructure;

/// <summary>Signals a test raises by hand; nothing is registered with the test process.</summary>
internal sealed class FakeSignals : ISignalSource
{
    private readonly Lock _gate = new();
    private readonly List<(PosixSignal Signal, Action Handler)> _handlers = [];

    public IDisposable Register(PosixSignal signal, Action handler)
    {
        var entry = (signal, handler);
        lock (_gate)
        {
            _handlers.Add(entry);
        }

        return new Registration(() =>
        {
            lock (_gate)
            {
                _handlers.Remove(entry);
            }
        });
    }

    public void Raise(PosixSignal signal)
    {
        List<Action> handlers;
        lock (_gate)
        {
            handlers = _handlers.Where(h => h.Signal == signal).Select(h => h.Handler).ToList();
        }

        foreach (var handler in handlers)
        {
            handler();
        }
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
