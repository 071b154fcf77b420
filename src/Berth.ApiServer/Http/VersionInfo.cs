using System.Text.Json.Nodes;

namespace Berth.ApiServer.Http;

/// <summary>What <c>/version</c> answers: the Kubernetes version whose API Berth serves.</summary>
public static class VersionInfo
{
    public const string GitVersion = "v1.32.0+berth";

    internal static string Json { get; } = new JsonObject
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-11-26T00:00:00Z",
        ["goVersion"] = "dotnet" + Environment.Version,
        ["compiler"] = "roslyn",
        ["platform"] = "linux/amd64",
    }.ToJsonString();
}
