using Berth.ApiServer.Security;
using Berth.Core.Errors;
using Berth.Core.Resources;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Admission;

/// <summary>
/// One write as admission sees it (apiserver <c>admission.Attributes</c>), after the strategy defaulted and validated
/// it and before it is stored: <see cref="Object"/> is the new state (null for a delete), <see cref="OldObject"/> the
/// stored one (null for a create).
/// </summary>
internal sealed record AdmissionRequest(
    UserInfo User,
    AdmissionOperation Operation,
    ResourceInfo Resource,
    string Subresource,
    string Namespace,
    string Name,
    IKubernetesObject<V1ObjectMeta>? Object,
    IKubernetesObject<V1ObjectMeta>? OldObject)
{
    /// <summary>The operation as Kubernetes prints it: <c>CREATE</c>, <c>UPDATE</c>, <c>DELETE</c>.</summary>
    public string OperationName => Operation.ToString().ToUpperInvariant();

    /// <summary>
    /// admission <c>NewForbidden</c>: <c>&lt;resource&gt; "&lt;name&gt;" is forbidden: &lt;why&gt;</c>, naming the object by
    /// the request, else by the object's name or generateName.
    /// </summary>
    public StatusException Forbidden(string why)
    {
        var name = Name.Length > 0 ? Name
            : Object?.Metadata?.Name is { Length: > 0 } n ? n
            : Object?.Metadata?.GenerateName is { Length: > 0 } g ? g
            : "Unknown";
        return StatusErrors.Forbidden(Resource.Group, Resource.Plural, name, why);
    }
}
