using Berth.Client;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.Node.Registration;

/// <summary>
/// Registers this agent's Node as the kubelet does (<c>pkg/kubelet/kubelet_node_status.go</c>,
/// <c>registerWithAPIServer</c>): creates it with its labels and status, or — for a restarted agent — updates the
/// existing one's labels and status, keeping its spec (podCIDR, taints). Then waits until the node IPAM controller has
/// given it <c>spec.podCIDR</c>. An unreachable API server is retried (0.1 s doubling to 7 s).
/// </summary>
public static partial class NodeRegistration
{
    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(7);

    /// <summary>
    /// Registers the Node named <see cref="NodeAgentOptions.NodeName"/> and returns it once it has a pod CIDR.
    /// </summary>
    /// <param name="api">The API client.</param>
    /// <param name="options">The agent's options (name, address, MaxPods, data dir, clock).</param>
    /// <param name="kubeletPort">The port of the agent's kubelet HTTPS API (<c>status.daemonEndpoints.kubeletEndpoint.port</c>).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public static Task<V1Node> RegisterAsync(IApiClient api, NodeAgentOptions options, int kubeletPort, CancellationToken cancellationToken) =>
        RegisterAsync(api, options, kubeletPort, null, cancellationToken);

    /// <inheritdoc cref="RegisterAsync(IApiClient, NodeAgentOptions, int, CancellationToken)"/>
    public static async Task<V1Node> RegisterAsync(IApiClient api, NodeAgentOptions options, int kubeletPort, ILogger? logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.NodeName);
        ArgumentOutOfRangeException.ThrowIfNegative(kubeletPort);
        logger ??= NullLogger.Instance;
        var desired = NodeStatusPlanner.Desired(options, HostFacts.Read(options.DataDir), kubeletPort);
        var node = await RetryAsync(options, logger, ct => CreateOrUpdateAsync(api, desired, options.TimeProvider, ct), cancellationToken).ConfigureAwait(false);
        Log.Registered(logger, options.NodeName);
        return await RetryAsync(options, logger, ct => WaitForPodCidrAsync(api, node, ct), cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<V1Node> CreateOrUpdateAsync(IApiClient api, V1Node desired, TimeProvider time, CancellationToken cancellationToken)
    {
        var name = desired.Metadata.Name;
        var fresh = ObjectCopy.Clone(desired);
        NodeStatusPlanner.ApplyStatus(fresh, desired, Now(time));
        try
        {
            return await api.CreateAsync(fresh, cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException e) when (e.IsAlreadyExists)
        {
        }

        while (true)
        {
            var existing = await api.GetAsync<V1Node>(null, name, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                // Deleted between our create and get: create again.
                return await CreateOrUpdateAsync(api, desired, time, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                if (NodeStatusPlanner.ApplyLabels(existing, desired))
                {
                    existing = await api.UpdateAsync(existing, cancellationToken).ConfigureAwait(false);
                }

                NodeStatusPlanner.ApplyStatus(existing, desired, Now(time));
                return await api.UpdateStatusAsync(existing, cancellationToken).ConfigureAwait(false);
            }
            catch (ConflictException)
            {
            }
        }
    }

    /// <summary>Watches the Node until <c>spec.podCIDR</c> is set (the node IPAM controller's patch).</summary>
    private static async Task<V1Node> WaitForPodCidrAsync(IApiClient api, V1Node registered, CancellationToken cancellationToken)
    {
        var name = registered.Metadata.Name;
        while (true)
        {
            var node = await api.GetAsync<V1Node>(null, name, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Node {name} was deleted while waiting for its pod CIDR");
            if (!string.IsNullOrEmpty(node.Spec?.PodCIDR))
            {
                return node;
            }

            var query = new WatchQuery { FieldSelector = "metadata.name=" + name, Timeout = TimeSpan.FromSeconds(30) };
            await foreach (var e in api.WatchAsync<V1Node>(null, node.Metadata.ResourceVersion, query, cancellationToken).ConfigureAwait(false))
            {
                if (e.Object?.Metadata?.Name == name && !string.IsNullOrEmpty(e.Object.Spec?.PodCIDR))
                {
                    return e.Object;
                }
            }
        }
    }

    /// <summary>Retries <paramref name="action"/> while the API cannot be reached or answers 5xx (the kubelet retries registration forever).</summary>
    internal static async Task<T> RetryAsync<T>(NodeAgentOptions options, ILogger logger, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                return await action(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                var failure = Failure.Of(e);
                Log.Retrying(logger, failure.Level, failure.Trace, options.NodeName, backoff.TotalSeconds, failure.Reason);
                await Task.Delay(backoff, options.TimeProvider, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _maxBackoff.Ticks));
            }
        }
    }

    internal static bool IsTransient(Exception e) =>
        e is HttpRequestException or IOException or TimeoutException or ResourceExpiredException
        || (e is ApiException api && (api.Code >= 500 || api.Code == 429))
        || (e is OperationCanceledException && e.InnerException is TimeoutException);

    /// <summary>Condition times are metav1.Time: whole seconds.</summary>
    internal static DateTime Now(TimeProvider time)
    {
        var t = time.GetUtcNow().UtcTicks;
        return new DateTime(t - (t % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    /// <summary>Event ids 6400–6409 (see src/Berth.Node/README.md).</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 6400, Level = LogLevel.Information, Message = "Node {Node} registered")]
        public static partial void Registered(ILogger logger, string node);

        /// <summary>Level and exception per <see cref="Failure"/>: Debug for a 404/409/410, Warning without a stack trace for an API or network failure, Error for a bug.</summary>
        [LoggerMessage(EventId = 6401, Message = "Registering node {Node} failed: {Reason}; retrying in {Seconds} s")]
        public static partial void Retrying(ILogger logger, LogLevel level, Exception? exception, string node, double seconds, string reason);
    }
}
