namespace Berth.Proxy.Tests.Infrastructure;

/// <summary>Disposes a list of things at the end of a test (<c>await using</c>).</summary>
internal sealed class Disposables(IEnumerable<IAsyncDisposable> items) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var item in items)
        {
            await item.DisposeAsync();
        }
    }
}
