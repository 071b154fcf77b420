using Berth.ApiServer.Rest;
using Berth.Core.Resources;
using Berth.Storage;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Keeps <see cref="Current"/>, the RBAC objects of the store, up to date: one list at start, then one watch of the
/// rbac.authorization.k8s.io prefix, each event swapping in a new immutable snapshot — the role of the informers behind
/// kube-apiserver's RBAC authorizer. A watch that ends (compaction, a slow reader cut off) lists again.
/// </summary>
internal sealed partial class RbacCache
{
    private const string Prefix = "/registry/" + Core.Strategies.RbacValidation.GroupName + "/";

    private readonly ObjectStore _objects;
    private readonly Dictionary<string, ResourceInfo> _byPlural;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile RbacSnapshot _current = RbacSnapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _revision;

    public RbacCache(ObjectStore objects, ResourceRegistry registry, TimeProvider time, ILogger logger)
    {
        _objects = objects;
        _time = time;
        _logger = logger;
        _byPlural = registry.All.Where(r => r.Group == Core.Strategies.RbacValidation.GroupName).ToDictionary(r => r.Plural, StringComparer.Ordinal);
    }

    public RbacSnapshot Current => _current;

    /// <summary>Completes at the next change of <see cref="Current"/> (the ClusterRole aggregator waits on it).</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>The store revision the snapshot reflects.</summary>
    public long Revision => Interlocked.Read(ref _revision);

    /// <summary>Reads every RBAC object; the server authorizes nothing before this has run.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var list = await _objects.Store.ListAsync(Prefix, null, 0, cancellationToken).ConfigureAwait(false);
        var snapshot = RbacSnapshot.Empty;
        foreach (var kv in list.Items)
        {
            if (ResourceOf(kv.Key) is { } resource)
            {
                snapshot = snapshot.With(_objects.Decode(resource, kv).Object, deleted: false);
            }
        }

        Interlocked.Exchange(ref _revision, list.Revision);
        Publish(snapshot);
    }

    /// <summary>Follows the store until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var e in _objects.Store.WatchAsync(Prefix, Revision, cancellationToken).ConfigureAwait(false))
                {
                    if (ResourceOf(e.Value.Key) is { } resource)
                    {
                        Interlocked.Exchange(ref _revision, e.Revision);
                        Publish(_current.With(_objects.Decode(resource, e.Value).Object, e.Type == StoreEventType.Deleted));
                    }
                    else
                    {
                        Interlocked.Exchange(ref _revision, e.Revision);
                    }
                }

                // The store ended a watcher that fell behind: read everything again.
                await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RevisionCompactedException)
            {
                await LoadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The authorizer must keep following the store; a failed read is retried.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.WatchFailed(_logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Makes <paramref name="snapshot"/> current and wakes whoever waits on <see cref="Changed"/> (internal: benchmarks set a snapshot directly).</summary>
    internal void Publish(RbacSnapshot snapshot)
    {
        _current = snapshot;
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    private ResourceInfo? ResourceOf(string key)
    {
        var rest = key.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        return slash < 0 ? null : _byPlural.GetValueOrDefault(rest[..slash].ToString());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1410, Level = LogLevel.Warning, Message = "Following the RBAC objects failed; reading them again in 1 s")]
        public static partial void WatchFailed(ILogger logger, Exception exception);
    }
}
