using Berth.ApiServer.Rest;
using Berth.Core.Resources;
using k8s.Models;

namespace Berth.ApiServer.Admission;

/// <summary>
/// ServiceAccount admission for pods (kubernetes <c>plugin/pkg/admission/serviceaccount/admission.go</c>), on create:
/// <c>spec.serviceAccountName</c> defaults to <c>default</c> (and the deprecated <c>serviceAccount</c> follows it, as the
/// v1 conversion does); the service account must exist; and unless <c>automountServiceAccountToken: false</c> (the pod's
/// word first, then the service account's) the projected <c>kube-api-access-&lt;5&gt;</c> volume is added and mounted
/// read-only at <see cref="TokenMountPath"/> in every init and app container that has nothing mounted there. Mirror pods
/// are left alone and may not name a service account. Unlike Kubernetes it runs after the strategy's validation (Berth's
/// admission chain has one phase); what it adds is valid by construction.
/// </summary>
internal sealed class ServiceAccountAdmission : IAdmissionPlugin
{
    public const string TokenMountPath = "/var/run/secrets/kubernetes.io/serviceaccount";
    public const string VolumePrefix = "kube-api-access-";
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    private readonly ObjectStore _objects;
    private readonly ResourceInfo _serviceAccounts;

    public ServiceAccountAdmission(ObjectStore objects, ResourceRegistry registry)
    {
        _objects = objects;
        _serviceAccounts = registry.Find("", "serviceaccounts")!;
    }

    public async ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        if (request.Operation != AdmissionOperation.Create || request.Subresource.Length > 0
            || (request.Resource.Group, request.Resource.Plural) != ("", "pods") || request.Object is not V1Pod pod)
        {
            return;
        }

        pod.Spec ??= new V1PodSpec();
        if (pod.Metadata.Annotations?.ContainsKey(MirrorPodAnnotation) == true)
        {
            if (!string.IsNullOrEmpty(pod.Spec.ServiceAccountName))
            {
                throw request.Forbidden("a mirror pod may not reference service accounts");
            }

            return;
        }

        if (string.IsNullOrEmpty(pod.Spec.ServiceAccountName))
        {
            pod.Spec.ServiceAccountName = string.IsNullOrEmpty(pod.Spec.ServiceAccount) ? "default" : pod.Spec.ServiceAccount;
        }

        pod.Spec.ServiceAccount = pod.Spec.ServiceAccountName;
        var stored = await _objects.GetAsync(_serviceAccounts, request.Namespace, pod.Spec.ServiceAccountName, cancellationToken).ConfigureAwait(false)
            ?? throw request.Forbidden($"error looking up service account {request.Namespace}/{pod.Spec.ServiceAccountName}: serviceaccount \"{pod.Spec.ServiceAccountName}\" not found");
        var account = (V1ServiceAccount)stored.Object;
        if (pod.Spec.AutomountServiceAccountToken ?? account.AutomountServiceAccountToken ?? true)
        {
            MountServiceAccountToken(pod.Spec);
        }
    }

    /// <summary><c>mountServiceAccountToken</c>: reuses a <c>kube-api-access-*</c> volume the pod has, else adds one if a container mounts it.</summary>
    internal static void MountServiceAccountToken(V1PodSpec spec)
    {
        var existing = spec.Volumes?.FirstOrDefault(v => v?.Name?.StartsWith(VolumePrefix, StringComparison.Ordinal) == true);
        var volumeName = existing?.Name ?? RestHandler.GenerateName(VolumePrefix);
        var needsVolume = false;
        foreach (var container in (spec.InitContainers ?? []).Concat(spec.Containers ?? []))
        {
            if (container is null || container.VolumeMounts?.Any(m => m?.MountPath == TokenMountPath) == true)
            {
                continue;
            }

            container.VolumeMounts ??= [];
            container.VolumeMounts.Add(new V1VolumeMount { Name = volumeName, ReadOnlyProperty = true, MountPath = TokenMountPath });
            needsVolume = true;
        }

        if (existing is null && needsVolume)
        {
            spec.Volumes ??= [];
            spec.Volumes.Add(new V1Volume { Name = volumeName, Projected = TokenVolumeSource() });
        }
    }

    /// <summary><c>TokenVolumeSource</c>: the token (3607 s), the cluster CA from <c>kube-root-ca.crt</c>, and the namespace.</summary>
    private static V1ProjectedVolumeSource TokenVolumeSource() => new()
    {
        DefaultMode = 420, // 0644, set explicitly as Kubernetes does (kubernetes#104464)
        Sources =
        [
            new V1VolumeProjection { ServiceAccountToken = new V1ServiceAccountTokenProjection { Path = "token", ExpirationSeconds = 3607 } },
            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "kube-root-ca.crt", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
            new V1VolumeProjection
            {
                DownwardAPI = new V1DownwardAPIProjection
                {
                    Items = [new V1DownwardAPIVolumeFile { Path = "namespace", FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "metadata.namespace" } }],
                },
            },
        ],
    };
}
