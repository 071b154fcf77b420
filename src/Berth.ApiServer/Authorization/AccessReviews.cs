using Berth.ApiServer.Security;
using Berth.Core.Errors;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Authorization;

/// <summary>
/// Answers the authorization.k8s.io/v1 reviews and authentication.k8s.io/v1 SelfSubjectReview as their REST handlers
/// in kubernetes do (<c>pkg/registry/authorization/*</c>, <c>pkg/registry/authentication/selfsubjectreview</c>): the
/// review's attributes go through the same authorizers as requests; the answer is the review with its status.
/// </summary>
internal sealed class AccessReviews
{
    private readonly IAuthorizer _authorizer;
    private readonly IRuleResolver _rules;

    public AccessReviews(IAuthorizer authorizer, IRuleResolver rules)
    {
        _authorizer = authorizer;
        _rules = rules;
    }

    /// <summary>Fills the status of <paramref name="review"/> (already validated) for <paramref name="user"/>, the requester.</summary>
    public async ValueTask<IKubernetesObject<V1ObjectMeta>> AnswerAsync(IKubernetesObject<V1ObjectMeta> review, UserInfo user, string? ns, CancellationToken ct)
    {
        switch (review)
        {
            case V1SelfSubjectAccessReview self:
                self.Status = await DecideAsync(user, self.Spec.ResourceAttributes, self.Spec.NonResourceAttributes, ct).ConfigureAwait(false);
                return self;
            case V1SubjectAccessReview other:
                other.Status = await DecideAsync(Subject(other.Spec), other.Spec.ResourceAttributes, other.Spec.NonResourceAttributes, ct).ConfigureAwait(false);
                return other;
            case V1LocalSubjectAccessReview local:
                if (local.Metadata.NamespaceProperty != ns)
                {
                    throw StatusErrors.BadRequest($"spec.resourceAttributes.namespace must match namespace: {ns}");
                }

                local.Status = await DecideAsync(Subject(local.Spec), local.Spec.ResourceAttributes, null, ct).ConfigureAwait(false);
                return local;
            case V1SelfSubjectRulesReview rules:
                rules.Status = RulesOf(user, rules.Spec?.NamespaceProperty);
                return rules;
            case V1SelfSubjectReview whoAmI:
                whoAmI.Status = new V1SelfSubjectReviewStatus
                {
                    UserInfo = new V1UserInfo
                    {
                        Username = user.Name,
                        Uid = user.Uid.Length == 0 ? null : user.Uid,
                        Groups = [.. user.Groups],
                        Extra = user.Extra.Count == 0 ? null : user.Extra.ToDictionary(e => e.Key, e => (IList<string>)[.. e.Value]),
                    },
                };
                return whoAmI;
            default:
                throw StatusErrors.BadRequest($"not a review: {review.Kind}");
        }
    }

    private async ValueTask<V1SubjectAccessReviewStatus> DecideAsync(UserInfo user, V1ResourceAttributes? resource, V1NonResourceAttributes? nonResource, CancellationToken ct)
    {
        var attributes = resource is not null
            ? new RequestAttributes
            {
                User = user,
                Verb = resource.Verb ?? "",
                IsResourceRequest = true,
                ApiGroup = resource.Group ?? "",
                ApiVersion = string.IsNullOrEmpty(resource.Version) ? "*" : resource.Version,
                Namespace = resource.NamespaceProperty ?? "",
                Resource = resource.Resource ?? "",
                Subresource = resource.Subresource ?? "",
                Name = resource.Name ?? "",
            }
            : new RequestAttributes { User = user, Verb = nonResource?.Verb ?? "", Path = nonResource?.Path ?? "" };
        var result = await _authorizer.AuthorizeAsync(attributes, ct).ConfigureAwait(false);
        return new V1SubjectAccessReviewStatus
        {
            Allowed = result.Decision == Decision.Allow,
            Denied = result.Decision == Decision.Deny ? true : null,
            Reason = result.Reason.Length == 0 ? null : result.Reason,
        };
    }

    private V1SubjectRulesReviewStatus RulesOf(UserInfo user, string? ns)
    {
        if (string.IsNullOrEmpty(ns))
        {
            throw StatusErrors.BadRequest("no namespace on request");
        }

        var found = _rules.RulesFor(user, ns);
        return new V1SubjectRulesReviewStatus
        {
            ResourceRules = [.. found.Rules.Where(r => (r.NonResourceURLs?.Count ?? 0) == 0).Select(r => new V1ResourceRule
            {
                Verbs = r.Verbs,
                ApiGroups = r.ApiGroups,
                Resources = r.Resources,
                ResourceNames = r.ResourceNames,
            })],
            NonResourceRules = [.. found.Rules.Where(r => (r.NonResourceURLs?.Count ?? 0) > 0).Select(r => new V1NonResourceRule
            {
                Verbs = r.Verbs,
                NonResourceURLs = r.NonResourceURLs,
            })],
            Incomplete = found.Incomplete,
            EvaluationError = found.Errors.Count == 0 ? null : string.Join(", ", found.Errors),
        };
    }

    /// <summary>The user a SubjectAccessReview asks about (<c>authorizationutil.AuthorizationAttributesFrom</c>).</summary>
    private static UserInfo Subject(V1SubjectAccessReviewSpec spec) =>
        new(spec.User ?? "", [.. spec.Groups ?? []])
        {
            Uid = spec.Uid ?? "",
            Extra = (spec.Extra ?? new Dictionary<string, IList<string>>()).ToDictionary(e => e.Key, e => (IReadOnlyList<string>)[.. e.Value ?? []]),
        };
}
