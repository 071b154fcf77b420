using System.Text.Json.Nodes;
using Berth.ApiServer.Http;
using Berth.Core.Resources;
using Berth.Core.Tables;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Berth.ApiServer.Rest;

/// <summary>Server-side printing for <c>kubectl get</c>: the Kubernetes columns of each kind.</summary>
internal static class Tables
{
    public static JsonObject Convert(ResourceInfo resource, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items, string? resourceVersion, string? continueToken, DateTimeOffset now, IncludeObjectPolicy includeObject) =>
        TableConvertor.Convert(resource, items, resourceVersion, continueToken, now, includeObject);

    /// <summary>The request's <c>includeObject</c> (a 400 for an unknown value, as Kubernetes answers).</summary>
    public static IncludeObjectPolicy IncludeObject(IQueryCollection query) => IncludeObjectPolicies.Parse(query.Get("includeObject"));
}
