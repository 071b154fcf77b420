using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.Namespaces;

/// <summary>
/// Empties a namespace that is being deleted, then removes it (pkg/controller/namespace/deletion/namespaced_resources_deleter.go):
/// every object of every namespaced resource in the registry is deleted, and once none is left the namespace is
/// deleted again, which the API server turns into its removal (see README: Berth's client has no <c>finalize</c> verb).
/// </summary>
public sealed partial class NamespaceController : IController
{
    /// <summary>How soon a namespace whose objects are still going away is looked at again.</summary>
    private static readonly TimeSpan _recheckDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Pods are deleted at once: no node agent stops them yet, so a grace period would only leave them Terminating.
    /// Everything else in the background, so the garbage collector takes care of dependents.
    /// </summary>
    private static readonly V1DeleteOptions _podDelete = new() { GracePeriodSeconds = 0, PropagationPolicy = "Background" };
    private static readonly V1DeleteOptions _objectDelete = new() { PropagationPolicy = "Background" };

    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<NamespacedResource> _resources;
    private readonly WorkQueue<string> _queue;

    public NamespaceController(ControllerManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _logger = manager.Loggers.CreateLogger<NamespaceController>();
        _resources = NamespacedResource.All(ResourceRegistry.Default, _client);
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = manager.Options.TimeProvider });
        manager.Informers.For<V1Namespace>().AddHandler(new InformerHandler<V1Namespace>
        {
            Added = (ns, _) => Enqueue(ns),
            Updated = (_, ns) => Enqueue(ns),
        });
    }

    public string Name => "namespace";

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(
            _queue,
            _options.Workers,
            SyncAsync,
            (name, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, name, failure.Reason),
            cancellationToken,
            notDone: name => _queue.AddAfter(name, _recheckDelay));

    private void Enqueue(V1Namespace ns)
    {
        if (ns.Metadata?.DeletionTimestamp is not null)
        {
            _queue.Add(ns.Metadata.Name);
        }
    }

    /// <summary>One pass over a terminating namespace; true when it is gone (or not terminating), false to look again later.</summary>
    private async Task<bool> SyncAsync(string name, CancellationToken cancellationToken)
    {
        // The cache may be behind: act on what the API says now.
        var ns = await _client.GetAsync<V1Namespace>(null, name, cancellationToken).ConfigureAwait(false);
        if (ns?.Metadata.DeletionTimestamp is null)
        {
            return true;
        }

        var deleted = 0;
        foreach (var resource in _resources)
        {
            foreach (var obj in await resource.ListAsync(name, cancellationToken).ConfigureAwait(false))
            {
                if (obj.Metadata.DeletionTimestamp is not null && resource.Info.Plural != "pods")
                {
                    continue;
                }

                var options = resource.Info.Plural == "pods" ? _podDelete : _objectDelete;
                if (await resource.DeleteAsync(name, obj.Metadata.Name, options, cancellationToken).ConfigureAwait(false))
                {
                    deleted++;
                }
            }
        }

        var left = 0;
        foreach (var resource in _resources)
        {
            left += (await resource.ListAsync(name, cancellationToken).ConfigureAwait(false)).Count;
        }

        Log.Emptied(_logger, name, deleted, left);
        if (left > 0)
        {
            return false;
        }

        // Empty: a DELETE of a terminating, empty namespace removes it (RestHandler.Finalize.cs).
        try
        {
            await _client.DeleteAsync<V1Namespace>(null, name, null, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsNotFound)
        {
            return true;
        }

        var after = await _client.GetAsync<V1Namespace>(null, name, cancellationToken).ConfigureAwait(false);
        if (after is not null && after.Metadata.Uid == ns.Metadata.Uid)
        {
            // Other spec finalizers, metadata finalizers, or an object that arrived meanwhile.
            return false;
        }

        Log.Removed(_logger, name);
        return true;
    }

    /// <summary>Event ids 4120–4139 (see src/Berth.Controllers/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4320, Level = LogLevel.Debug, Message = "Namespace {Namespace}: deleted {Deleted} objects, {Left} left")]
        public static partial void Emptied(ILogger logger, string @namespace, int deleted, int left);

        [LoggerMessage(EventId = 4321, Level = LogLevel.Information, Message = "Namespace {Namespace} removed")]
        public static partial void Removed(ILogger logger, string @namespace);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 4322, Message = "Sync of namespace {Namespace} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string @namespace, string reason);
    }
}
