using Berth.Core.Errors;
using k8s.Models;

namespace Berth.Node.Streams;

/// <summary>
/// The errors of the kubelet's streaming endpoints (pkg/kubelet/server/server.go), sent as Kubernetes Status objects
/// so the API server can relay them unchanged and kubectl prints <c>Error from server (…): …</c>.
/// </summary>
internal static class KubeletErrors
{
    public static StatusException PodNotFound(string ns, string name) =>
        Make(404, "NotFound", $"pod \"{name}\" in namespace \"{ns}\" does not exist on this node");

    public static StatusException ContainerNotFound(string container, string pod) =>
        Make(404, "NotFound", $"container \"{container}\" not found in pod \"{pod}\"");

    public static StatusException ContainerNotRunning(string container, string pod) =>
        Make(400, "BadRequest", $"container \"{container}\" in pod \"{pod}\" is not running");

    public static StatusException BadRequest(string message) => StatusErrors.BadRequest(message);

    private static StatusException Make(int code, string reason, string message) => new(new V1Status
    {
        Kind = "Status",
        ApiVersion = "v1",
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Reason = reason,
        Message = message,
        Code = code,
    });
}
