using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary><c>ValidateSelfSubjectAccessReview</c> (kubernetes <c>pkg/apis/authorization/validation</c>).</summary>
public sealed class SelfSubjectAccessReviewStrategy : ReviewStrategy<V1SelfSubjectAccessReview>
{
    protected override void Validate(V1SelfSubjectAccessReview obj, List<FieldError> errors)
    {
        ValidateAttributes(obj.Spec?.ResourceAttributes, obj.Spec?.NonResourceAttributes, errors);
        ValidateEmptyMetadata(obj.Metadata, allowNamespace: false, errors);
    }
}
