using System.Text.Json.Nodes;
using Berth.Core.Patching;

namespace Berth.ApiServer.Http;

/// <summary>Request bodies in YAML (application/yaml, apply-patch+yaml) become JSON before anything else sees them.</summary>
internal static class YamlBodies
{
    public static JsonNode? ToJson(byte[] body) => ApplyPatch.Parse(System.Text.Encoding.UTF8.GetString(body));
}
