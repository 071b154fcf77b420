using Berth.ApiServer.Security;
using k8s.Models;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// The RBAC authorizer (kubernetes <c>plugin/pkg/auth/authorizer/rbac/rbac.go</c>): a request is allowed when a rule
/// of a role bound to its user allows it — ClusterRoleBindings everywhere, RoleBindings in their namespace. It never
/// denies; a binding whose role is missing is named in the reason (<c>RBAC: clusterrole… not found</c>).
/// </summary>
internal sealed class RbacAuthorizer : IAuthorizer, IRuleResolver
{
    private readonly RbacCache _cache;

    public RbacAuthorizer(RbacCache cache) => _cache = cache;

    public ValueTask<AuthorizationResult> AuthorizeAsync(RequestAttributes attributes, CancellationToken cancellationToken)
    {
        var snapshot = _cache.Current;
        List<string>? errors = null;
        foreach (var binding in snapshot.ClusterRoleBindings.Values)
        {
            if (AppliesTo(attributes.User, binding.Subjects, "") is not { } subject)
            {
                continue;
            }

            var (rules, error) = snapshot.RulesOf(binding.RoleRef, "");
            if (error is not null)
            {
                (errors ??= []).Add(error);
            }
            else if (rules.Any(r => PolicyRules.Allows(attributes, r)))
            {
                return ValueTask.FromResult(AuthorizationResult.Allowed(
                    $"RBAC: allowed by ClusterRoleBinding {Quote(binding.Metadata.Name)} of {binding.RoleRef.Kind} {Quote(binding.RoleRef.Name)} to {Describe(subject, "")}"));
            }
        }

        if (attributes.Namespace.Length > 0 && snapshot.RoleBindings.TryGetValue(attributes.Namespace, out var inNamespace))
        {
            foreach (var binding in inNamespace.Values)
            {
                if (AppliesTo(attributes.User, binding.Subjects, attributes.Namespace) is not { } subject)
                {
                    continue;
                }

                var (rules, error) = snapshot.RulesOf(binding.RoleRef, attributes.Namespace);
                if (error is not null)
                {
                    (errors ??= []).Add(error);
                }
                else if (rules.Any(r => PolicyRules.Allows(attributes, r)))
                {
                    return ValueTask.FromResult(AuthorizationResult.Allowed(
                        $"RBAC: allowed by RoleBinding {Quote(binding.Metadata.Name + "/" + attributes.Namespace)} of {binding.RoleRef.Kind} {Quote(binding.RoleRef.Name)} to {Describe(subject, attributes.Namespace)}"));
                }
            }
        }

        return ValueTask.FromResult(AuthorizationResult.NoOpinion(errors is null ? "" : "RBAC: " + Aggregate(errors)));
    }

    public UserRules RulesFor(UserInfo user, string ns)
    {
        var snapshot = _cache.Current;
        var rules = new List<V1PolicyRule>();
        var errors = new List<string>();
        foreach (var binding in snapshot.ClusterRoleBindings.Values)
        {
            Collect(binding.Subjects, binding.RoleRef, "");
        }

        if (ns.Length > 0 && snapshot.RoleBindings.TryGetValue(ns, out var inNamespace))
        {
            foreach (var binding in inNamespace.Values)
            {
                Collect(binding.Subjects, binding.RoleRef, ns);
            }
        }

        return new UserRules(rules, false, errors);

        void Collect(IList<Rbacv1Subject>? subjects, V1RoleRef roleRef, string bindingNamespace)
        {
            if (AppliesTo(user, subjects, bindingNamespace) is null)
            {
                return;
            }

            var (found, error) = snapshot.RulesOf(roleRef, bindingNamespace);
            if (error is not null)
            {
                errors.Add(error);
            }

            rules.AddRange(found);
        }
    }

    /// <summary>The first subject that is <paramref name="user"/> (<c>appliesTo</c> / <c>appliesToUser</c>), or null.</summary>
    internal static Rbacv1Subject? AppliesTo(UserInfo user, IList<Rbacv1Subject>? subjects, string ns)
    {
        foreach (var subject in subjects ?? [])
        {
            var applies = subject?.Kind switch
            {
                "User" => user.Name == subject.Name,
                "Group" => user.Groups.Contains(subject.Name),
                // A service account subject without a namespace means the binding's own namespace.
                "ServiceAccount" => (string.IsNullOrEmpty(subject.NamespaceProperty) ? ns : subject.NamespaceProperty) is { Length: > 0 } saNamespace
                    && user.Name == UserInfo.ServiceAccountUserName(saNamespace, subject.Name),
                _ => false,
            };
            if (applies)
            {
                return subject;
            }
        }

        return null;
    }

    private static string Describe(Rbacv1Subject subject, string bindingNamespace) =>
        subject.Kind == "ServiceAccount"
            ? $"{subject.Kind} {Quote(subject.Name + "/" + (string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty))}"
            : $"{subject.Kind} {Quote(subject.Name)}";

    private static string Quote(string? value) => PolicyRules.GoQuote(value ?? "");

    /// <summary>apimachinery's error aggregate: one message alone, several in brackets.</summary>
    private static string Aggregate(List<string> errors) =>
        errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
}
