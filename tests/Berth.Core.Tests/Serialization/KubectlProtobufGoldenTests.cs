using Berth.Core.Serialization.Protobuf;

namespace Berth.Core.Tests.Serialization;

/// <summary>
/// Bodies captured from kubectl 1.32 (<c>-v=10</c>) for each generator, decoded and compared with what the same command
/// prints under <c>--dry-run=client -o json</c>: the JSON Kubernetes writes for the very object kubectl encoded.
/// Each case lives in <c>testdata/&lt;case&gt;/</c> (command.txt, request.hex, expected.json).
/// </summary>
public sealed class KubectlProtobufGoldenTests
{
    public static TheoryData<string> Cases() => [.. CaseNames()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_KubectlGeneratorBody_MatchesKubectlJson(string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Serialization", "testdata", name);
        var hex = string.Concat(File.ReadAllText(Path.Combine(dir, "request.hex")).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var body = Convert.FromHexString(hex);

        var decoded = KubernetesProtobuf.Decode(body);

        JsonAssert.Equal(File.ReadAllText(Path.Combine(dir, "expected.json")), decoded);
    }

    [Fact]
    public void Cases_AllGeneratorsCaptured()
    {
        var names = CaseNames();

        Assert.Equal(["configmap", "deployment", "namespace", "service-clusterip", "service-loadbalancer", "service-nodeport"], names);
    }

    private static string[] CaseNames() =>
        [.. Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Serialization", "testdata")).Select(d => Path.GetFileName(d)).Order()];
}
