using Berth.Core.Errors;
using Berth.Core.Validation;
using k8s.Models;

namespace Berth.Core.Strategies;

public static partial class ServiceValidation
{
    private static readonly string[] _supportedIPModes = ["Proxy", "VIP"];

    /// <summary><c>ValidateServiceUpdate</c> (minus metadata): the immutability rules, then <see cref="Validate"/>.</summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(V1Service service, V1Service old, ServiceNetworkOptions network)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(old);
        var errors = new List<FieldError>();
        UpgradeDowngradeClusterIPs(old, service, errors);
        UpgradeDowngradeIPFamilies(old, service, errors);

        if (old.Spec?.Type == "LoadBalancer" && service.Spec?.Type == "LoadBalancer" && old.Spec.LoadBalancerClass != service.Spec.LoadBalancerClass)
        {
            errors.Add(FieldError.InvalidRendered(_specPath.Child("loadBalancerClass"), GoSyntax.Pointer(service.Spec.LoadBalancerClass), "may not change once set"));
        }

        if (ServiceDefaults.NeedsHealthCheck(old) && ServiceDefaults.NeedsHealthCheck(service) &&
            (old.Spec!.HealthCheckNodePort ?? 0) != (service.Spec!.HealthCheckNodePort ?? 0))
        {
            errors.Add(FieldError.Forbidden(_specPath.Child("healthCheckNodePort"), FieldValidators.FieldImmutable));
        }

        errors.AddRange(Validate(service, network));
        errors.AddRange(LoadBalancerStatus(service));
        return errors;
    }

    /// <summary><c>ValidateLoadBalancerStatus</c> (status updates).</summary>
    public static IReadOnlyList<FieldError> LoadBalancerStatus(V1Service service)
    {
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<FieldError>();
        var ingress = service.Status?.LoadBalancer?.Ingress ?? [];
        var path = FieldPath.Root("status").Child("loadBalancer").Child("ingress");
        if (service.Spec?.Type != "LoadBalancer" && ingress.Count != 0)
        {
            errors.Add(FieldError.Forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'"));
            return errors;
        }

        for (var i = 0; i < ingress.Count; i++)
        {
            var item = ingress[i];
            var itemPath = path.Index(i);
            if (!string.IsNullOrEmpty(item.Ip))
            {
                errors.AddRange(FieldValidators.IP(item.Ip, itemPath.Child("ip")));
            }

            if (item.IpMode is null)
            {
                if (!string.IsNullOrEmpty(item.Ip))
                {
                    errors.Add(FieldError.Required(itemPath.Child("ipMode"), "must be specified when `ip` is set"));
                }
            }
            else if (string.IsNullOrEmpty(item.Ip))
            {
                errors.Add(FieldError.Forbidden(itemPath.Child("ipMode"), "may not be specified when `ip` is not set"));
            }
            else if (!_supportedIPModes.Contains(item.IpMode))
            {
                errors.Add(FieldError.NotSupported(itemPath.Child("ipMode"), item.IpMode, _supportedIPModes));
            }

            if (!string.IsNullOrEmpty(item.Hostname))
            {
                errors.AddRange(FieldValidators.DNS1123Subdomain(item.Hostname, itemPath.Child("hostname")));
                if (IPAddresses.ParseSloppy(item.Hostname) is not null)
                {
                    errors.Add(FieldError.Invalid(itemPath.Child("hostname"), item.Hostname, "must be a DNS name, not an IP address"));
                }
            }
        }

        return errors;
    }
}
