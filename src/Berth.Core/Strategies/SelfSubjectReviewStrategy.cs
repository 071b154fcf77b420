using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>authentication.k8s.io/v1 SelfSubjectReview (<c>kubectl auth whoami</c>): no spec, nothing to validate.</summary>
public sealed class SelfSubjectReviewStrategy : ReviewStrategy<V1SelfSubjectReview>
{
    protected override void Validate(V1SelfSubjectReview obj, List<FieldError> errors)
    {
    }
}
