using System.Collections.Concurrent;
using Berth.ApiServer.Proxy;
using Berth.Core.Errors;
using Berth.Core.Metrics;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Metrics;

/// <summary>
/// Reads the nodes' <c>/metrics/resource</c> when asked, as metrics-server scrapes kubelets, and keeps each node's
/// latest reading: a rate is the difference to the previous one. A node is read at most once per
/// <see cref="MetricsOptions.CacheFor"/>; the first request for a node (or one after a long quiet) reads it twice,
/// <see cref="MetricsOptions.MinWindow"/> apart.
/// </summary>
internal sealed partial class NodeScraper
{
    private readonly HttpMessageInvoker _http;
    private readonly MetricsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);

    public NodeScraper(HttpMessageInvoker http, MetricsOptions options, TimeProvider time, ILogger logger)
    {
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>The node's usage over its latest window; null when it cannot be read (logged).</summary>
    public async Task<NodeUsage?> UsageAsync(V1Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata?.Name ?? "";
        var state = _nodes.GetOrAdd(name, _ => new NodeState());
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            if (state.Usage is { } cached && now - state.ScrapedAt < _options.CacheFor)
            {
                return cached;
            }

            var sample = await ScrapeAsync(node, cancellationToken).ConfigureAwait(false);
            if (sample is null)
            {
                return null;
            }

            var earlier = state.Latest;
            if (earlier is null || sample.Timestamp - earlier.Timestamp > _options.MaxWindow || sample.Timestamp <= earlier.Timestamp)
            {
                await Task.Delay(_options.MinWindow, _time, cancellationToken).ConfigureAwait(false);
                earlier = sample;
                sample = await ScrapeAsync(node, cancellationToken).ConfigureAwait(false);
                if (sample is null)
                {
                    return null;
                }
            }

            state.Latest = sample;
            state.ScrapedAt = _time.GetUtcNow();
            state.Usage = NodeUsage.Between(earlier, sample);
            return state.Usage;
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Forgets nodes that no longer exist.</summary>
    public void Retain(IReadOnlyCollection<string> nodeNames)
    {
        foreach (var name in _nodes.Keys)
        {
            if (!nodeNames.Contains(name))
            {
                _nodes.TryRemove(name, out _);
            }
        }
    }

    private async Task<ResourceSample?> ScrapeAsync(V1Node node, CancellationToken cancellationToken)
    {
        var name = node.Metadata?.Name ?? "";
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ScrapeTimeout);
        try
        {
            var target = KubeletConnector.Target(node);
            using var request = new HttpRequestMessage(HttpMethod.Get, target.Uri("/metrics/resource"));
            using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Log.ScrapeFailed(_logger, name, "HTTP " + (int)response.StatusCode);
                return null;
            }

            return ResourceMetricsText.Parse(text);
        }
        catch (Exception e) when (e is HttpRequestException or StatusException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Log.ScrapeFailed(_logger, name, e.Message);
            return null;
        }
    }

    /// <summary>One node's readings; <see cref="Gate"/> lets one request at a time read or refresh them.</summary>
    private sealed class NodeState
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public ResourceSample? Latest { get; set; }

        public DateTimeOffset ScrapedAt { get; set; }

        public NodeUsage? Usage { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1500, Level = LogLevel.Warning, Message = "Resource metrics of node {Node} could not be read: {Reason}")]
        public static partial void ScrapeFailed(ILogger logger, string node, string reason);
    }
}
