namespace Berth.Cli;

/// <summary>
/// What a start has brought up so far, disposed in reverse order: a start that is stopped or fails half-way
/// releases exactly what it started.
/// </summary>
internal sealed class AsyncDisposables : IAsyncDisposable
{
    private readonly Stack<IAsyncDisposable> _started = new();

    /// <summary>Keeps <paramref name="part"/> (null: nothing) until disposal, and returns it.</summary>
    public T Add<T>(T part)
        where T : IAsyncDisposable?
    {
        if (part is not null)
        {
            _started.Push(part);
        }

        return part;
    }

    /// <summary>Keeps a synchronous <paramref name="part"/> until disposal, and returns it.</summary>
    public T AddSync<T>(T part)
        where T : IDisposable
    {
        _started.Push(new Sync(part));
        return part;
    }

    public async ValueTask DisposeAsync()
    {
        while (_started.TryPop(out var part))
        {
            await part.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Sync(IDisposable part) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            part.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
