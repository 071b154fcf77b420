using System.Runtime.CompilerServices;
using Berth.Client.Informers;
using Berth.Client.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.Client.Tests.Informers;

public sealed class InformerBackoffTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public async Task RunAsync_ListFails_RetriesWithDoublingBackoff()
    {
        var client = new FailingListClient(failures: 3);
        var informer = new Informer<V1ConfigMap>(client, new InformerOptions { TimeProvider = _time });
        var start = _time.GetUtcNow();
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await _time.WhenTimerArmedAsync(start + TimeSpan.FromMilliseconds(100));
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await _time.WhenTimerArmedAsync(start + TimeSpan.FromMilliseconds(300));
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await _time.WhenTimerArmedAsync(start + TimeSpan.FromMilliseconds(700));
        var syncedBeforeLastRetry = informer.HasSynced;
        _time.Advance(TimeSpan.FromMilliseconds(400));
        await informer.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run;

        Assert.False(syncedBeforeLastRetry);
        Assert.Equal(4, client.Lists);
        Assert.Equal("x", informer.Lister.Get("ns", "x")?.Metadata.Name);
    }

    /// <summary>Lists fail with a connection error <c>failures</c> times, then return one object; watches idle until cancelled.</summary>
    private sealed class FailingListClient(int failures) : IApiClient
    {
        private int _lists;

        public int Lists => Volatile.Read(ref _lists);

        public Task<ResourceList<T>> ListAsync<T>(string? ns, ListQuery? query, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            if (Interlocked.Increment(ref _lists) <= failures)
            {
                throw new HttpRequestException("connection refused");
            }

            var item = (T)(object)Objects.ConfigMap("ns", "x");
            item.Metadata.ResourceVersion = "5";
            return Task.FromResult(new ResourceList<T>([item], "5"));
        }

        public async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns, string resourceVersion, WatchQuery? query, [EnumeratorCancellation] CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            yield break;
        }

        public Task<T?> GetAsync<T>(string? ns, string name, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> CreateAsync<T>(T obj, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> UpdateAsync<T>(T obj, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> UpdateStatusAsync<T>(T obj, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task<T> PatchAsync<T>(string? ns, string name, V1Patch.PatchType patchType, string body, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

        public Task DeleteAsync<T>(string? ns, string name, V1DeleteOptions? options, CancellationToken cancellationToken)
            where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
    }
}
