using System.Runtime.CompilerServices;
using Berth.Proxy.Changes;
using Berth.Proxy.Model;
using k8s;
using k8s.Models;

namespace Berth.Proxy.Tests.Model;

/// <summary>
/// Service + EndpointSlices in (<c>testdata/&lt;case&gt;/input.yaml</c>), the model every backend renders out
/// (<c>expected.txt</c>): merged endpoints, port matching by name and protocol, and the traffic-policy decision. The
/// proxy runs on node <c>node-a</c> in zone <c>zone-a</c>. <c>BERTH_UPDATE_GOLDEN=1</c> rewrites the expected files.
/// </summary>
public sealed class ModelGoldenTests
{
    private const string NodeName = "node-a";
    private const string Zone = "zone-a";

    public static TheoryData<string> Cases() => [.. CaseNames()];

    private static string TestData => Path.Combine(AppContext.BaseDirectory, "Model", "testdata");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_SlicesOfCase_GiveExpectedModel(string name)
    {
        var objects = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(TestData, name, "input.yaml")));
        var service = ServiceParser.Parse(objects.OfType<V1Service>().Single());
        var slices = objects.OfType<V1EndpointSlice>().Select(SliceParser.Parse).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

        var rendered = ModelDump.Render(ServiceModelPlanner.Plan(service, slices, NodeName, Zone));

        var expectedPath = Path.Combine(TestData, name, "expected.txt");
        if (Environment.GetEnvironmentVariable("BERTH_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDir(), "testdata", name, "expected.txt"), rendered);
            return;
        }

        Assert.Equal(File.ReadAllText(expectedPath), rendered);
    }

    [Fact]
    public void Cases_CoverTheTrickySliceSets()
    {
        var names = CaseNames();

        Assert.Contains("terminating-fallback", names);
        Assert.Contains("not-ready", names);
        Assert.Contains("duplicates-across-slices", names);
        Assert.Contains("named-port-per-pod", names);
    }

    private static List<string> CaseNames() => [.. Directory.GetDirectories(TestData).Select(d => Path.GetFileName(d)).Order(StringComparer.Ordinal)];

    private static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
