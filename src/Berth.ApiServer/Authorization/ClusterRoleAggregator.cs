using Berth.ApiServer.Rest;
using Berth.Core.Errors;
using Berth.Core.Resources;
using Berth.Core.Validation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// The clusterrole-aggregation controller (kubernetes <c>pkg/controller/clusterroleaggregation</c>), run inside the API
/// server: the rules of a ClusterRole with an <c>aggregationRule</c> become the union of the rules of every other
/// ClusterRole its selectors match, in name order, without duplicates. A role aggregated into another one (edit into
/// admin) settles in a further pass, since each write is a change the next pass sees.
/// </summary>
internal sealed partial class ClusterRoleAggregator
{
    private readonly RbacCache _cache;
    private readonly RestHandler _rest;
    private readonly ResourceInfo _clusterRoles;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ClusterRoleAggregator(RbacCache cache, RestHandler rest, ResourceRegistry registry, TimeProvider time, ILogger logger)
    {
        _cache = cache;
        _rest = rest;
        _clusterRoles = registry.Find(Core.Strategies.RbacValidation.GroupName, "clusterroles")!;
        _time = time;
        _logger = logger;
    }

    /// <summary>One pass over the aggregated roles of the current snapshot; true when it changed any.</summary>
    public async Task<bool> AggregateAsync(CancellationToken cancellationToken)
    {
        var snapshot = _cache.Current;
        var changed = false;
        foreach (var role in snapshot.ClusterRoles.Values.Where(r => r.AggregationRule is not null))
        {
            var rules = Aggregate(role, snapshot.ClusterRoles.Values);
            if (SameRules(rules, role.Rules))
            {
                continue;
            }

            try
            {
                await _rest.UpdateInternalAsync(_clusterRoles, null, role.Metadata.Name, stored =>
                {
                    var updated = (V1ClusterRole)stored.Clone();
                    updated.Rules = rules;
                    updated.Metadata.ResourceVersion = null;
                    return updated;
                }, cancellationToken).ConfigureAwait(false);
                changed = true;
                Log.Aggregated(_logger, role.Metadata.Name, rules.Count);
            }
            catch (StatusException e) when (e.Code == 404)
            {
                // Deleted meanwhile.
            }
        }

        return changed;
    }

    /// <summary>Aggregates after every change of the RBAC objects until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var changed = _cache.Changed;
            try
            {
                await AggregateAsync(cancellationToken).ConfigureAwait(false);
                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (StatusException e)
            {
                // The API said no (e.g. the aggregated rules did not validate): its message says why; no stack trace.
                Log.Failed(_logger, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The controller must keep running; a failed write is tried again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.FailedUnexpectedly(_logger, e);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary><c>syncClusterRole</c>: the rules of the matching roles, sorted by name, each rule once.</summary>
    internal static List<V1PolicyRule> Aggregate(V1ClusterRole aggregated, IEnumerable<V1ClusterRole> all)
    {
        var sorted = all.OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
        var rules = new List<V1PolicyRule>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var selector in aggregated.AggregationRule.ClusterRoleSelectors ?? [])
        {
            foreach (var role in sorted.Where(r => r.Metadata.Name != aggregated.Metadata.Name && LabelSelectors.Matches(selector, r.Metadata.Labels)))
            {
                foreach (var rule in role.Rules ?? [])
                {
                    if (seen.Add(KubernetesJson.Serialize(rule)))
                    {
                        rules.Add(rule);
                    }
                }
            }
        }

        return rules;
    }

    private static bool SameRules(List<V1PolicyRule> rules, IList<V1PolicyRule>? existing) =>
        rules.Count == (existing?.Count ?? 0) && rules.Select(r => KubernetesJson.Serialize(r)).SequenceEqual((existing ?? []).Select(r => KubernetesJson.Serialize(r)));

    private static partial class Log
    {
        [LoggerMessage(EventId = 1430, Level = LogLevel.Debug, Message = "ClusterRole {Name} aggregated to {Count} rules")]
        public static partial void Aggregated(ILogger logger, string name, int count);

        [LoggerMessage(EventId = 1431, Level = LogLevel.Warning, Message = "Aggregating ClusterRoles failed: {Reason}; trying again in 1 s")]
        public static partial void Failed(ILogger logger, string reason);

        [LoggerMessage(EventId = 1432, Level = LogLevel.Error, Message = "Aggregating ClusterRoles failed unexpectedly; trying again in 1 s")]
        public static partial void FailedUnexpectedly(ILogger logger, Exception exception);
    }
}
