using Berth.ApiServer.Rest;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Reconciles the bootstrap policy at every start, as kube-apiserver's RBAC post-start hook does
/// (<c>pkg/registry/rbac/reconciliation</c>): a missing role or binding is created; an existing one whose
/// <c>rbac.authorization.kubernetes.io/autoupdate</c> annotation is not <c>"false"</c> gets the labels, annotations,
/// rules, aggregation selectors and subjects it lacks (extra ones are kept); a binding whose roleRef changed is
/// recreated. A role marked autoupdate "false" is left as its owner made it.
/// </summary>
internal sealed partial class PolicyReconciler
{
    private readonly RestHandler _rest;
    private readonly ObjectStore _objects;
    private readonly ResourceInfo _clusterRoles;
    private readonly ResourceInfo _clusterRoleBindings;
    private readonly ILogger _logger;

    public PolicyReconciler(RestHandler rest, ObjectStore objects, ResourceRegistry registry, ILogger logger)
    {
        _rest = rest;
        _objects = objects;
        _clusterRoles = registry.Find(Core.Strategies.RbacValidation.GroupName, "clusterroles")!;
        _clusterRoleBindings = registry.Find(Core.Strategies.RbacValidation.GroupName, "clusterrolebindings")!;
        _logger = logger;
    }

    public async Task ReconcileAsync(CancellationToken ct)
    {
        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            await ReconcileRoleAsync(role, ct).ConfigureAwait(false);
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            await ReconcileBindingAsync(binding, ct).ConfigureAwait(false);
        }
    }

    private async Task ReconcileRoleAsync(V1ClusterRole expected, CancellationToken ct)
    {
        var name = expected.Metadata.Name;
        var existing = await _objects.GetAsync(_clusterRoles, null, name, ct).ConfigureAwait(false);
        if (existing is null)
        {
            await CreateAsync(_clusterRoles, expected, ct).ConfigureAwait(false);
            return;
        }

        // Reconciled changes what it is given: a copy, never the store's shared object.
        var current = (V1ClusterRole)existing.Clone();
        if (Reconciled(current, expected) is null)
        {
            return;
        }

        if (Protected(current.Metadata))
        {
            Log.Protected(_logger, "ClusterRole", name);
            return;
        }

        await _rest.UpdateInternalAsync(_clusterRoles, null, name, stored => Reconciled((V1ClusterRole)stored.Clone(), expected) ?? stored.Clone(), ct).ConfigureAwait(false);
        Log.Updated(_logger, "ClusterRole", name);
    }

    private async Task ReconcileBindingAsync(V1ClusterRoleBinding expected, CancellationToken ct)
    {
        var name = expected.Metadata.Name;
        var existing = await _objects.GetAsync(_clusterRoleBindings, null, name, ct).ConfigureAwait(false);
        if (existing is null)
        {
            await CreateAsync(_clusterRoleBindings, expected, ct).ConfigureAwait(false);
            return;
        }

        var current = (V1ClusterRoleBinding)existing.Clone();
        var roleChanged = !SameRoleRef(current.RoleRef, expected.RoleRef);
        var reconciled = Reconciled(current, expected);
        if (reconciled is null)
        {
            return;
        }

        if (Protected(current.Metadata))
        {
            Log.Protected(_logger, "ClusterRoleBinding", name);
            return;
        }

        if (roleChanged)
        {
            // roleRef is immutable: the binding is recreated (ReconcileRecreate).
            await _rest.DeleteInternalAsync(_clusterRoleBindings, null, name, ct).ConfigureAwait(false);
            reconciled.Metadata.ResourceVersion = null;
            await CreateAsync(_clusterRoleBindings, reconciled, ct).ConfigureAwait(false);
            return;
        }

        await _rest.UpdateInternalAsync(_clusterRoleBindings, null, name, stored => Reconciled((V1ClusterRoleBinding)stored.Clone(), expected) ?? stored.Clone(), ct).ConfigureAwait(false);
        Log.Updated(_logger, "ClusterRoleBinding", name);
    }

    /// <summary><c>computeReconciledRole</c> in the union mode kube-apiserver uses: null when nothing is missing.</summary>
    internal static V1ClusterRole? Reconciled(V1ClusterRole existing, V1ClusterRole expected)
    {
        var changed = MergeMetadata(existing.Metadata, expected.Metadata);
        var (_, missing) = PolicyRules.Covers(existing.Rules ?? [], expected.Rules ?? []);
        if (missing.Count > 0)
        {
            existing.Rules = [.. existing.Rules ?? [], .. missing];
            changed = true;
        }

        if (expected.AggregationRule is null && existing.AggregationRule is not null)
        {
            existing.AggregationRule = null;
            changed = true;
        }
        else if (expected.AggregationRule is { } aggregation)
        {
            var selectors = existing.AggregationRule?.ClusterRoleSelectors ?? [];
            var missingSelectors = (aggregation.ClusterRoleSelectors ?? []).Where(s => !selectors.Any(e => SameSelector(e, s))).ToList();
            if (missingSelectors.Count > 0)
            {
                existing.AggregationRule = new V1AggregationRule { ClusterRoleSelectors = [.. selectors, .. missingSelectors] };
                changed = true;
            }
        }

        return changed ? existing : null;
    }

    /// <summary><c>computeReconciledRoleBinding</c> (union): missing subjects added; null when nothing changes.</summary>
    internal static V1ClusterRoleBinding? Reconciled(V1ClusterRoleBinding existing, V1ClusterRoleBinding expected)
    {
        var changed = MergeMetadata(existing.Metadata, expected.Metadata);
        if (!SameRoleRef(existing.RoleRef, expected.RoleRef))
        {
            existing.RoleRef = expected.RoleRef;
            changed = true;
        }

        var subjects = existing.Subjects ?? [];
        var missing = (expected.Subjects ?? []).Where(s => !subjects.Any(e => e.Kind == s.Kind && e.Name == s.Name && (e.NamespaceProperty ?? "") == (s.NamespaceProperty ?? ""))).ToList();
        if (missing.Count > 0)
        {
            existing.Subjects = [.. subjects, .. missing];
            changed = true;
        }

        return changed ? existing : null;
    }

    private static bool Protected(V1ObjectMeta meta) =>
        meta.Annotations?.TryGetValue(BootstrapPolicy.AutoUpdateAnnotation, out var value) == true && value == "false";

    /// <summary>Expected labels and annotations are added; the existing values win (<c>merge(expected, existing)</c>).</summary>
    private static bool MergeMetadata(V1ObjectMeta existing, V1ObjectMeta expected)
    {
        var changed = false;
        existing.Labels = Merge(existing.Labels, expected.Labels, ref changed);
        existing.Annotations = Merge(existing.Annotations, expected.Annotations, ref changed);
        return changed;
    }

    private static IDictionary<string, string>? Merge(IDictionary<string, string>? existing, IDictionary<string, string>? expected, ref bool changed)
    {
        foreach (var (key, value) in expected ?? new Dictionary<string, string>())
        {
            existing ??= new Dictionary<string, string>();
            if (!existing.ContainsKey(key))
            {
                existing[key] = value;
                changed = true;
            }
        }

        return existing;
    }

    private static bool SameRoleRef(V1RoleRef? a, V1RoleRef? b) => (a?.ApiGroup, a?.Kind, a?.Name) == (b?.ApiGroup, b?.Kind, b?.Name);

    private static bool SameSelector(V1LabelSelector a, V1LabelSelector b) =>
        k8s.KubernetesJson.Serialize(a) == k8s.KubernetesJson.Serialize(b);

    private async Task CreateAsync(ResourceInfo resource, k8s.IKubernetesObject<V1ObjectMeta> obj, CancellationToken ct)
    {
        try
        {
            await _rest.CreateInternalAsync(resource, null, obj, ct).ConfigureAwait(false);
            Log.Created(_logger, resource.Kind, obj.Metadata.Name);
        }
        catch (StatusException e) when (e.Code == 409)
        {
            // Another server created it meanwhile.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1420, Level = LogLevel.Debug, Message = "Created bootstrap {Kind} {Name}")]
        public static partial void Created(ILogger logger, string kind, string name);

        [LoggerMessage(EventId = 1421, Level = LogLevel.Information, Message = "Updated bootstrap {Kind} {Name} with what it lacked")]
        public static partial void Updated(ILogger logger, string kind, string name);

        [LoggerMessage(EventId = 1422, Level = LogLevel.Information, Message = "Bootstrap {Kind} {Name} differs from the default but is marked rbac.authorization.kubernetes.io/autoupdate=false; left as it is")]
        public static partial void Protected(ILogger logger, string kind, string name);
    }
}
