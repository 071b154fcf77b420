using Berth.Client;
using Berth.Client.Informers;
using Berth.Client.Queues;
using Berth.Controllers.Common;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Controllers.ServiceAccounts;

/// <summary>
/// Keeps one object in every active namespace, the shape of two kube-controller-manager loops: the serviceaccounts
/// controller (<c>pkg/controller/serviceaccount/serviceaccounts_controller.go</c>: the <c>default</c> ServiceAccount,
/// created when missing, never updated) and the root-ca-cert-publisher (<c>pkg/controller/certificates/rootcacertpublisher</c>:
/// the <c>kube-root-ca.crt</c> ConfigMap, created when missing and put right when changed). A namespace is synced when it
/// appears or changes and when its object is deleted or changed; a terminating namespace is left alone.
/// </summary>
public sealed partial class NamespaceObjectController<T> : IController
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IApiClient _client;
    private readonly ControllerOptions _options;
    private readonly INamespaceObject<T> _policy;
    private readonly ILogger _logger;
    private readonly Informer<V1Namespace> _namespaces;
    private readonly Informer<T> _objects;
    private readonly WorkQueue<string> _queue;

    public NamespaceObjectController(ControllerManager manager, string name, INamespaceObject<T> policy)
    {
        ArgumentNullException.ThrowIfNull(manager);
        _client = manager.Client;
        _options = manager.Options;
        _policy = policy;
        Name = name;
        _logger = manager.Loggers.CreateLogger("Berth.Controllers." + name);
        _queue = new WorkQueue<string>(new WorkQueueOptions { TimeProvider = manager.Options.TimeProvider });
        _namespaces = manager.Informers.For<V1Namespace>();
        _namespaces.AddHandler(new InformerHandler<V1Namespace>
        {
            Added = (ns, _) => _queue.Add(ns.Metadata.Name),
            Updated = (_, ns) => _queue.Add(ns.Metadata.Name),
        });
        _objects = manager.Informers.For<T>();
        _objects.AddHandler(new InformerHandler<T>
        {
            Updated = (_, obj) => Enqueue(obj),
            Deleted = Enqueue,
        });
    }

    public string Name { get; }

    public Task RunAsync(CancellationToken cancellationToken) =>
        WorkerLoop.RunAsync(_queue, _options.Workers, SyncAsync, (key, failure) => Log.SyncFailed(_logger, failure.Level, failure.Trace, Name, key, failure.Reason), cancellationToken);

    private void Enqueue(T obj)
    {
        if (obj.Metadata.Name == _policy.Name && obj.Metadata.NamespaceProperty is { Length: > 0 } ns)
        {
            _queue.Add(ns);
        }
    }

    private async Task SyncAsync(string ns, CancellationToken cancellationToken)
    {
        var namespace_ = _namespaces.Lister.Get(null, ns);
        if (namespace_ is null || namespace_.Metadata.DeletionTimestamp is not null || namespace_.Status?.Phase is "Terminating")
        {
            return;
        }

        var existing = _objects.Lister.Get(ns, _policy.Name);
        if (existing is null)
        {
            try
            {
                await _client.CreateAsync(_policy.Desired(ns), cancellationToken).ConfigureAwait(false);
                Log.Created(_logger, Name, ns, _policy.Name);
            }
            catch (ApiException e) when (e.Code == 409)
            {
                // Created meanwhile (the cache had not seen it yet); its watch event syncs the namespace again.
            }

            return;
        }

        if (_policy.Repair(existing) is { } repaired)
        {
            await _client.UpdateAsync(repaired, cancellationToken).ConfigureAwait(false);
            Log.Repaired(_logger, Name, ns, _policy.Name);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4900, Level = LogLevel.Debug, Message = "{Controller}: created {Namespace}/{Name}")]
        public static partial void Created(ILogger logger, string controller, string @namespace, string name);

        [LoggerMessage(EventId = 4901, Level = LogLevel.Information, Message = "{Controller}: put {Namespace}/{Name} right again")]
        public static partial void Repaired(ILogger logger, string controller, string @namespace, string name);

        /// <summary>Level and exception per <see cref="Failure"/>, as the other controllers.</summary>
        [LoggerMessage(EventId = 4902, Message = "{Controller}: syncing namespace {Namespace} failed: {Reason}; retrying")]
        public static partial void SyncFailed(ILogger logger, LogLevel level, Exception? exception, string controller, string @namespace, string reason);
    }
}
