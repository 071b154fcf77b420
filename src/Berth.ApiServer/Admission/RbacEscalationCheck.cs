using Berth.ApiServer.Authorization;
using Berth.ApiServer.Security;
using k8s.Models;

namespace Berth.ApiServer.Admission;

/// <summary>
/// RBAC's escalation prevention (kubernetes <c>pkg/registry/rbac/*/policybased</c> and <c>escalation_check.go</c>): a
/// user may write a Role or ClusterRole only with rules it already holds (or the <c>escalate</c> verb on it), and a
/// binding only to a role whose rules it holds (or the <c>bind</c> verb on it); an aggregationRule needs every
/// permission. <c>system:masters</c> may do anything. Without this, whoever can create RoleBindings could bind
/// cluster-admin to themselves.
/// </summary>
internal sealed class RbacEscalationCheck : IAdmissionPlugin
{
    private static readonly V1PolicyRule[] _fullAuthority = [PolicyRules.Resources(["*"], ["*"], ["*"]), PolicyRules.Urls(["*"], "*")];

    private readonly IAuthorizer _authorizer;
    private readonly IRuleResolver _rules;
    private readonly RbacCache _cache;

    public RbacEscalationCheck(IAuthorizer authorizer, IRuleResolver rbacRules, RbacCache cache)
    {
        _authorizer = authorizer;
        _rules = rbacRules;
        _cache = cache;
    }

    public async ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Resource.Group != Core.Strategies.RbacValidation.GroupName
            || request.Operation == AdmissionOperation.Delete
            || request.User.IsAdmin
            || OnlyGarbageCollectionFields(request))
        {
            return;
        }

        switch (request.Object)
        {
            case V1Role role:
                if (!await AllowedAsync(request, "escalate", request.Resource.Plural, role.Metadata.Name, cancellationToken).ConfigureAwait(false))
                {
                    ConfirmNoEscalation(request, role.Rules ?? []);
                }

                break;
            case V1ClusterRole clusterRole:
                if (await AllowedAsync(request, "escalate", request.Resource.Plural, clusterRole.Metadata.Name, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }

                ConfirmNoEscalation(request, clusterRole.Rules ?? []);
                if (clusterRole.AggregationRule is not null && !PolicyRules.Covers(_rules.RulesFor(request.User, "").Rules, _fullAuthority).Covered)
                {
                    // Aggregation can gather anything, so setting one needs * on *.
                    throw request.Forbidden("must have cluster-admin privileges to use the aggregationRule");
                }

                break;
            case V1RoleBinding binding:
                await ConfirmBindingAsync(request, binding.RoleRef, cancellationToken).ConfigureAwait(false);
                break;
            case V1ClusterRoleBinding binding:
                await ConfirmBindingAsync(request, binding.RoleRef, cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    /// <summary><c>BindingAuthorized</c>, else the role's rules must be held (<c>GetRoleReferenceRules</c> + <c>ConfirmNoEscalation</c>).</summary>
    private async ValueTask ConfirmBindingAsync(AdmissionRequest request, V1RoleRef roleRef, CancellationToken ct)
    {
        var resource = roleRef.Kind == "Role" ? "roles" : "clusterroles";
        if (await AllowedAsync(request, "bind", resource, roleRef.Name, ct).ConfigureAwait(false))
        {
            return;
        }

        var (rules, error) = _cache.Current.RulesOf(roleRef, request.Namespace);
        if (error is not null)
        {
            throw request.Forbidden(error);
        }

        ConfirmNoEscalation(request, rules);
    }

    /// <summary><c>ConfirmNoEscalation</c>: the user's RBAC rules in the namespace must cover <paramref name="rules"/>.</summary>
    private void ConfirmNoEscalation(AdmissionRequest request, IEnumerable<V1PolicyRule> rules)
    {
        var owned = _rules.RulesFor(request.User, request.Namespace);
        var (covered, missing) = PolicyRules.Covers(owned.Rules, rules);
        if (covered)
        {
            return;
        }

        var described = PolicyRules.Compact(missing).Select(PolicyRules.CompactString).Distinct().Order(StringComparer.Ordinal);
        var message = $"user {PolicyRules.GoQuote(request.User.Name)} (groups={PolicyRules.GoQuotedSlice(request.User.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", described)}";
        if (owned.Errors.Count > 0)
        {
            message += "; resolution errors: [" + string.Join(" ", owned.Errors) + "]";
        }

        throw request.Forbidden(message);
    }

    private async ValueTask<bool> AllowedAsync(AdmissionRequest request, string verb, string resource, string name, CancellationToken ct)
    {
        var attributes = new RequestAttributes
        {
            User = request.User,
            Verb = verb,
            IsResourceRequest = true,
            ApiGroup = Core.Strategies.RbacValidation.GroupName,
            ApiVersion = "v1",
            Namespace = request.Namespace,
            Resource = resource,
            Name = name,
        };
        return (await _authorizer.AuthorizeAsync(attributes, ct).ConfigureAwait(false)).IsAllowed;
    }

    /// <summary><c>IsOnlyMutatingGCFields</c>: an update of ownerReferences and finalizers alone needs no check (the garbage collector makes them).</summary>
    private static bool OnlyGarbageCollectionFields(AdmissionRequest request)
    {
        if (request.Operation != AdmissionOperation.Update || request.Object is null || request.OldObject is null)
        {
            return false;
        }

        var updated = Strip(request.Object);
        var old = Strip(request.OldObject);
        return updated == old;

        static string Strip(k8s.IKubernetesObject<V1ObjectMeta> obj)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(obj))!.AsObject();
            if (node["metadata"] is System.Text.Json.Nodes.JsonObject meta)
            {
                meta.Remove("ownerReferences");
                meta.Remove("finalizers");
                meta.Remove("resourceVersion");
                meta.Remove("managedFields");
            }

            return node.ToJsonString();
        }
    }
}
