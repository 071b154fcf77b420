using System.Collections.Immutable;
using k8s.Models;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// The RBAC objects at one moment, immutable: what the RBAC authorizer reads for every request without a lock or a
/// store read. A change makes a new snapshot sharing the rest (persistent dictionaries).
/// </summary>
internal sealed record RbacSnapshot(
    ImmutableDictionary<string, V1ClusterRole> ClusterRoles,
    ImmutableDictionary<(string Namespace, string Name), V1Role> Roles,
    ImmutableDictionary<string, V1ClusterRoleBinding> ClusterRoleBindings,
    ImmutableDictionary<string, ImmutableDictionary<string, V1RoleBinding>> RoleBindings)
{
    public static RbacSnapshot Empty { get; } = new(
        ImmutableDictionary<string, V1ClusterRole>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<(string, string), V1Role>.Empty,
        ImmutableDictionary<string, V1ClusterRoleBinding>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, ImmutableDictionary<string, V1RoleBinding>>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The snapshot with <paramref name="obj"/> put (or, with <paramref name="deleted"/>, removed).</summary>
    public RbacSnapshot With(object obj, bool deleted)
    {
        switch (obj)
        {
            case V1ClusterRole role:
                return this with { ClusterRoles = deleted ? ClusterRoles.Remove(role.Metadata.Name) : ClusterRoles.SetItem(role.Metadata.Name, role) };
            case V1Role role:
                var key = (role.Metadata.NamespaceProperty ?? "", role.Metadata.Name);
                return this with { Roles = deleted ? Roles.Remove(key) : Roles.SetItem(key, role) };
            case V1ClusterRoleBinding binding:
                return this with { ClusterRoleBindings = deleted ? ClusterRoleBindings.Remove(binding.Metadata.Name) : ClusterRoleBindings.SetItem(binding.Metadata.Name, binding) };
            case V1RoleBinding binding:
                var ns = binding.Metadata.NamespaceProperty ?? "";
                var inNamespace = RoleBindings.GetValueOrDefault(ns) ?? ImmutableDictionary<string, V1RoleBinding>.Empty.WithComparers(StringComparer.Ordinal);
                inNamespace = deleted ? inNamespace.Remove(binding.Metadata.Name) : inNamespace.SetItem(binding.Metadata.Name, binding);
                return this with { RoleBindings = inNamespace.IsEmpty ? RoleBindings.Remove(ns) : RoleBindings.SetItem(ns, inNamespace) };
            default:
                return this;
        }
    }

    /// <summary>The rules a role reference names, or the NotFound message Kubernetes' listers give (<c>GetRoleReferenceRules</c>).</summary>
    public (IList<V1PolicyRule> Rules, string? Error) RulesOf(V1RoleRef? roleRef, string bindingNamespace)
    {
        var name = roleRef?.Name ?? "";
        switch (roleRef?.Kind)
        {
            case "ClusterRole":
                return ClusterRoles.TryGetValue(name, out var clusterRole)
                    ? (clusterRole.Rules ?? [], null)
                    : ([], $"clusterrole.rbac.authorization.k8s.io \"{name}\" not found");
            case "Role" when bindingNamespace.Length > 0:
                return Roles.TryGetValue((bindingNamespace, name), out var role)
                    ? (role.Rules ?? [], null)
                    : ([], $"role.rbac.authorization.k8s.io \"{name}\" not found");
            default:
                return ([], $"unsupported role reference kind: \"{roleRef?.Kind}\"");
        }
    }
}
