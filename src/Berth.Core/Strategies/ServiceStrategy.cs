using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>
/// The Service REST strategy (pkg/registry/core/service/strategy.go + the non-allocating parts of
/// its storage). IP and port allocation happen elsewhere, between <see cref="ResourceStrategy{T}.Default(k8s.IKubernetesObject{V1ObjectMeta})"/>
/// and validation, as upstream.
/// </summary>
public sealed class ServiceStrategy : ResourceStrategy<V1Service>
{
    private readonly ServiceNetworkOptions _network;

    public ServiceStrategy()
        : this(ServiceNetworkOptions.SingleStackIPv4)
    {
    }

    public ServiceStrategy(ServiceNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
    }

    public override bool AllowCreateOnUpdate => true;

    public override bool AllowUnconditionalUpdate => true;

    protected override NameValidator NameValidator => NameValidators.DNS1035Label;

    protected override void PrepareForCreate(V1Service obj)
    {
        obj.Status = new V1ServiceStatus();
        ServiceDefaults.NormalizeClusterIPs(obj, null);
    }

    protected override void PrepareForUpdate(V1Service obj, V1Service old, bool statusOnly)
    {
        if (statusOnly)
        {
            obj.Spec = ModelCopy.Clone(old.Spec);
            return;
        }

        obj.Status = ModelCopy.Clone(old.Status);
        ServiceDefaults.PrepareForUpdate(obj, old);
    }

    protected override void Default(V1Service obj)
    {
        ServiceDefaults.Apply(obj);
        ServiceDefaults.InitIPFamilyFields(obj, _network);
    }

    protected override void Validate(V1Service obj, List<FieldError> errors) =>
        errors.AddRange(ServiceValidation.Validate(obj, _network));

    protected override void ValidateUpdate(V1Service obj, V1Service old, List<FieldError> errors) =>
        errors.AddRange(ServiceValidation.ValidateUpdate(obj, old, _network));

    protected override string? GetSelectableField(V1Service obj, string field) => field switch
    {
        "spec.clusterIP" => obj.Spec?.ClusterIP ?? "",
        "spec.type" => obj.Spec?.Type ?? "",
        _ => null,
    };
}
