using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// SelfSubjectRulesReview (<c>kubectl auth can-i --list</c>): Kubernetes checks only that a namespace is given, in its
/// REST handler (400 <c>no namespace on request</c>); so does the API server's review handler.
/// </summary>
public sealed class SelfSubjectRulesReviewStrategy : ReviewStrategy<V1SelfSubjectRulesReview>
{
    protected override void Validate(V1SelfSubjectRulesReview obj, List<FieldError> errors)
    {
    }
}
