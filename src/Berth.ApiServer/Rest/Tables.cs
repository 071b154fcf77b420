using System.Text.Json.Nodes;
using Berth.Core.Resources;
using Berth.Core.Tables;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Rest;

/// <summary>Server-side printing for <c>kubectl get</c>: the Kubernetes columns of each kind.</summary>
internal static class Tables
{
    public static JsonObject Convert(ResourceInfo resource, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items, string? resourceVersion, string? continueToken, DateTimeOffset now) =>
        TableConvertor.Convert(resource, items, resourceVersion, continueToken, now);
}
