using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using k8s.Models;

namespace Berth.Core.Errors;

/// <summary>
/// Writes a <c>Status</c> as Kubernetes JSON. KubernetesClient's own converter for V1Status reads but cannot write
/// (it throws NotImplementedException), so Status bodies are built here, field by field (metav1.Status' field order),
/// and written as Go's encoding/json writes them (<see cref="GoJson"/>): kube-apiserver's bytes, which clients compare.
/// </summary>
public static class StatusJson
{
    public static JsonObject ToJson(V1Status status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var json = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
        };
        Add(json, "status", status.Status);
        Add(json, "message", status.Message);
        Add(json, "reason", status.Reason);
        if (status.Details is { } d)
        {
            var details = new JsonObject();
            Add(details, "name", d.Name);
            Add(details, "group", d.Group);
            Add(details, "kind", d.Kind);
            Add(details, "uid", d.Uid);
            if (d.Causes is { Count: > 0 })
            {
                var causes = new JsonArray();
                foreach (var c in d.Causes)
                {
                    var cause = new JsonObject();
                    Add(cause, "reason", c.Reason);
                    Add(cause, "message", c.Message);
                    Add(cause, "field", c.Field);
                    causes.Add(cause);
                }

                details["causes"] = causes;
            }

            if (d.RetryAfterSeconds is { } retry)
            {
                details["retryAfterSeconds"] = retry;
            }

            json["details"] = details;
        }

        if (status.Code is { } code)
        {
            json["code"] = code;
        }

        return json;
    }

    /// <summary>The compact JSON text, as embedded in a watch event.</summary>
    public static string Serialize(V1Status status) => GoJson.Serialize(ToJson(status));

    /// <summary>A response body: the text and the newline <c>json.Encoder.Encode</c> ends it with, in UTF-8.</summary>
    public static byte[] Encode(V1Status status) => GoJson.Encode(ToJson(status));

    private static void Add(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }
}
