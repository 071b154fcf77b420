using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

/// <summary>The EndpointSlice strategy (§1.7, §2.3; pkg/apis/discovery/validation).</summary>
public sealed class EndpointSliceStrategy : ResourceStrategy<V1EndpointSlice>
{
    public const int MaxEndpoints = 1000;
    public const int MaxAddresses = 100;

    /// <summary>Per docs/kubernetes-services.md §2.3 (the API documentation's limit).</summary>
    public const int MaxPorts = 100;

    private static readonly string[] _addressTypes = ["FQDN", "IPv4", "IPv6"];
    private static readonly string[] _protocols = ["SCTP", "TCP", "UDP"];

    /// <summary><c>SetDefaults_EndpointPort</c>: name "" and protocol TCP.</summary>
    protected override void Default(V1EndpointSlice obj)
    {
        foreach (var port in obj.Ports ?? [])
        {
            port.Name ??= "";
            port.Protocol ??= "TCP";
        }
    }

    protected override void Validate(V1EndpointSlice obj, List<FieldError> errors)
    {
        var addressType = obj.AddressType ?? "";
        if (addressType.Length == 0)
        {
            errors.Add(FieldError.Required(FieldPath.Root("addressType")));
        }
        else if (!_addressTypes.Contains(addressType))
        {
            errors.Add(FieldError.NotSupported(FieldPath.Root("addressType"), addressType, _addressTypes));
        }

        ValidateEndpoints(obj.Endpoints ?? [], addressType, errors);
        ValidatePorts(obj.Ports ?? [], errors);
    }

    protected override void ValidateUpdate(V1EndpointSlice obj, V1EndpointSlice old, List<FieldError> errors)
    {
        Validate(obj, errors);
        if ((obj.AddressType ?? "") != (old.AddressType ?? ""))
        {
            errors.Add(FieldError.Invalid(FieldPath.Root("addressType"), obj.AddressType ?? "", FieldValidators.FieldImmutable));
        }
    }

    private static void ValidateEndpoints(IList<V1Endpoint> endpoints, string addressType, List<FieldError> errors)
    {
        var path = FieldPath.Root("endpoints");
        if (endpoints.Count > MaxEndpoints)
        {
            errors.Add(FieldError.TooMany(path, endpoints.Count, MaxEndpoints));
            return;
        }

        for (var i = 0; i < endpoints.Count; i++)
        {
            var e = endpoints[i];
            var idx = path.Index(i);
            var addressPath = idx.Child("addresses");
            var addresses = e.Addresses ?? [];
            if (addresses.Count == 0)
            {
                errors.Add(FieldError.Required(addressPath, "must contain at least 1 address"));
            }
            else if (addresses.Count > MaxAddresses)
            {
                errors.Add(FieldError.TooMany(addressPath, addresses.Count, MaxAddresses));
            }

            for (var j = 0; j < addresses.Count; j++)
            {
                var p = addressPath.Index(j);
                switch (addressType)
                {
                    case "IPv4":
                        var v4 = FieldValidators.IPv4(addresses[j], p).ToList();
                        errors.AddRange(v4.Count != 0 ? v4 : FieldValidators.NonSpecialIP(addresses[j], p, allowLoopback: true));
                        break;
                    case "IPv6":
                        var v6 = FieldValidators.IPv6(addresses[j], p).ToList();
                        errors.AddRange(v6.Count != 0 ? v6 : FieldValidators.NonSpecialIP(addresses[j], p, allowLoopback: true));
                        break;
                    case "FQDN":
                        ValidateFqdn(addresses[j] ?? "", p, errors);
                        break;
                }
            }

            if (e.NodeName is not null)
            {
                errors.AddRange(FieldValidators.DNS1123Subdomain(e.NodeName, idx.Child("nodeName")));
            }

            if (e.Hostname is not null)
            {
                errors.AddRange(FieldValidators.DNS1123Label(e.Hostname, idx.Child("hostname")));
            }

            errors.AddRange(FieldValidators.Labels(e.DeprecatedTopology, idx.Child("deprecatedTopology")));
        }
    }

    private static void ValidatePorts(IList<Discoveryv1EndpointPort> ports, List<FieldError> errors)
    {
        var path = FieldPath.Root("ports");
        if (ports.Count > MaxPorts)
        {
            errors.Add(FieldError.TooMany(path, ports.Count, MaxPorts));
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var idx = path.Index(i);
            var name = port.Name ?? "";
            if (name.Length > 0)
            {
                errors.AddRange(FieldValidators.DNS1123Label(name, idx.Child("name")));
            }

            if (!names.Add(name))
            {
                errors.Add(FieldError.Duplicate(idx.Child("name"), name));
            }

            if (port.Protocol is null)
            {
                errors.Add(FieldError.Required(idx.Child("protocol")));
            }
            else if (!_protocols.Contains(port.Protocol))
            {
                errors.Add(FieldError.NotSupported(idx.Child("protocol"), port.Protocol, _protocols));
            }

            if (port.AppProtocol is not null)
            {
                errors.AddRange(FieldValidators.QualifiedName(port.AppProtocol, idx.Child("appProtocol")));
            }
        }
    }

    /// <summary><c>IsFullyQualifiedDomainName</c>: trailing dot allowed, ≥2 labels.</summary>
    private static void ValidateFqdn(string name, FieldPath path, List<FieldError> errors)
    {
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required(path));
            return;
        }

        name = name.EndsWith('.') ? name[..^1] : name;
        var subdomain = ContentValidation.IsDNS1123Subdomain(name);
        if (subdomain.Count > 0)
        {
            errors.Add(FieldError.Invalid(path, name, string.Join(",", subdomain)));
            return;
        }

        if (name.Split('.').Length < 2)
        {
            errors.Add(FieldError.Invalid(path, name, "should be a domain with at least two segments separated by dots"));
        }
    }
}
