using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The rbac.authorization.k8s.io/v1 ClusterRoleBinding strategy: defaults, <c>ValidateClusterRoleBinding</c>, roleRef immutable.</summary>
public sealed class ClusterRoleBindingStrategy : ResourceStrategy<V1ClusterRoleBinding>
{
    protected override bool Namespaced => false;

    protected override NameValidator NameValidator => NameValidators.PathSegmentName;

    protected override void Default(V1ClusterRoleBinding obj) => RbacValidation.DefaultBinding(obj.RoleRef, obj.Subjects);

    protected override void Validate(V1ClusterRoleBinding obj, List<FieldError> errors) =>
        errors.AddRange(RbacValidation.Binding(obj.RoleRef, obj.Subjects, namespaced: false));

    protected override void ValidateUpdate(V1ClusterRoleBinding obj, V1ClusterRoleBinding old, List<FieldError> errors)
    {
        Validate(obj, errors);
        errors.AddRange(RbacValidation.RoleRefUnchanged(obj.RoleRef, old.RoleRef));
    }
}
