using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The rbac.authorization.k8s.io/v1 ClusterRole strategy (<c>ValidateClusterRole</c>): rules, and an aggregationRule
/// whose selectors the clusterrole-aggregation controller fills the rules from.
/// </summary>
public sealed class ClusterRoleStrategy : ResourceStrategy<V1ClusterRole>
{
    protected override bool Namespaced => false;

    protected override NameValidator NameValidator => NameValidators.PathSegmentName;

    protected override void Validate(V1ClusterRole obj, List<FieldError> errors)
    {
        errors.AddRange(RbacValidation.PolicyRules(obj.Rules, namespaced: false));
        if (obj.AggregationRule is not { } aggregation)
        {
            return;
        }

        var path = FieldPath.Root("aggregationRule").Child("clusterRoleSelectors");
        var selectors = aggregation.ClusterRoleSelectors ?? [];
        if (selectors.Count == 0)
        {
            errors.Add(FieldError.Required(path, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
        }

        for (var i = 0; i < selectors.Count; i++)
        {
            errors.AddRange(FieldValidators.LabelSelector(selectors[i], path.Index(i)));
        }
    }
}
