using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The Endpoints strategy (§1.6): <c>ValidateEndpoints</c> and port protocol defaulting.</summary>
public sealed class EndpointsStrategy : ResourceStrategy<V1Endpoints>
{
    private static readonly string[] _protocols = ["SCTP", "TCP", "UDP"];

    protected override void Default(V1Endpoints obj)
    {
        foreach (var port in (obj.Subsets ?? []).SelectMany(s => s.Ports ?? []))
        {
            if (string.IsNullOrEmpty(port.Protocol))
            {
                port.Protocol = "TCP";
            }
        }
    }

    protected override void Validate(V1Endpoints obj, List<FieldError> errors)
    {
        var subsets = obj.Subsets ?? [];
        for (var i = 0; i < subsets.Count; i++)
        {
            var s = subsets[i];
            var path = FieldPath.Root("subsets").Index(i);
            if ((s.Addresses?.Count ?? 0) == 0 && (s.NotReadyAddresses?.Count ?? 0) == 0)
            {
                errors.Add(FieldError.Required(path, "must specify `addresses` or `notReadyAddresses`"));
            }

            ValidateAddresses(s.Addresses, path.Child("addresses"), errors);
            ValidateAddresses(s.NotReadyAddresses, path.Child("notReadyAddresses"), errors);
            var ports = s.Ports ?? [];
            for (var j = 0; j < ports.Count; j++)
            {
                ValidatePort(ports[j], ports.Count > 1, path.Child("ports").Index(j), errors);
            }
        }
    }

    private static void ValidateAddresses(IList<V1EndpointAddress>? addresses, FieldPath path, List<FieldError> errors)
    {
        for (var i = 0; i < (addresses?.Count ?? 0); i++)
        {
            var a = addresses![i];
            var p = path.Index(i);
            errors.AddRange(FieldValidators.IP(a.Ip, p.Child("ip")));
            if (!string.IsNullOrEmpty(a.Hostname))
            {
                errors.AddRange(FieldValidators.DNS1123Label(a.Hostname, p.Child("hostname")));
            }

            if (a.NodeName is not null)
            {
                errors.AddRange(FieldValidators.DNS1123Subdomain(a.NodeName, p.Child("nodeName")));
            }

            errors.AddRange(FieldValidators.NonSpecialIP(a.Ip ?? "", p.Child("ip"), allowLoopback: true));
        }
    }

    private static void ValidatePort(Corev1EndpointPort port, bool requireName, FieldPath path, List<FieldError> errors)
    {
        if (requireName && string.IsNullOrEmpty(port.Name))
        {
            errors.Add(FieldError.Required(path.Child("name")));
        }
        else if (!string.IsNullOrEmpty(port.Name))
        {
            errors.AddRange(FieldValidators.DNS1123Label(port.Name, path.Child("name")));
        }

        errors.AddRange(ContentValidation.IsValidPortNum(port.Port).Select(m => FieldError.Invalid(path.Child("port"), port.Port, m)));
        if (string.IsNullOrEmpty(port.Protocol))
        {
            errors.Add(FieldError.Required(path.Child("protocol")));
        }
        else if (!_protocols.Contains(port.Protocol))
        {
            errors.Add(FieldError.NotSupported(path.Child("protocol"), port.Protocol, _protocols));
        }

        if (port.AppProtocol is not null)
        {
            errors.AddRange(FieldValidators.QualifiedName(port.AppProtocol, path.Child("appProtocol")));
        }
    }
}
