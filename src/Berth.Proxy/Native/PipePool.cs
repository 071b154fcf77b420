using System.Collections.Concurrent;

namespace Berth.Proxy.Native;

/// <summary>Keeps empty splice pipes for the next bulk connection (creating one is two syscalls and two fds).</summary>
internal sealed class PipePool : IDisposable
{
    private readonly ConcurrentBag<SplicePipe> _idle = [];
    private readonly int _size;
    private readonly int _keep;

    public PipePool(int size, int keep)
    {
        _size = size;
        _keep = keep;
    }

    public SplicePipe? Rent() => _idle.TryTake(out var pipe) ? pipe : SplicePipe.Create(_size);

    /// <summary>Gives a pipe back: kept when it is empty and the pool has room, closed otherwise.</summary>
    public void Return(SplicePipe pipe)
    {
        if (pipe.Pending == 0 && _idle.Count < _keep)
        {
            _idle.Add(pipe);
        }
        else
        {
            pipe.Dispose();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var pipe))
        {
            pipe.Dispose();
        }
    }
}
