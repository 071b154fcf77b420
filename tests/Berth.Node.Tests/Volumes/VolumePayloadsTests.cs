using System.Text;
using Berth.Node.Volumes;
using k8s.Models;

namespace Berth.Node.Tests.Volumes;

public sealed class VolumePayloadsTests
{
    private static readonly NodeCapacity _node = new(4, 8L * 1024 * 1024 * 1024, null);

    private static string Text(PayloadResult result, string path) => Encoding.UTF8.GetString(result.Files![path].Data);

    private static V1ConfigMap Map() => new()
    {
        Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" },
        BinaryData = new Dictionary<string, byte[]> { ["bin"] = [0, 1] },
    };

    [Fact]
    public void ConfigMap_NoItems_EveryKeyWithTheDefaultMode()
    {
        var result = VolumePayloads.ConfigMap("cm", null, null, false, Map());

        Assert.Equal(["a", "b", "bin"], result.Files!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((UnixFileMode)420, result.Files["a"].Mode);
        Assert.Equal([0, 1], result.Files["bin"].Data);
    }

    [Fact]
    public void ConfigMap_Items_PathsAndModes_AMissingKeyFailsUnlessOptional()
    {
        var items = new List<V1KeyToPath> { new() { Key = "a", Path = "x/y", Mode = 256 }, new() { Key = "zzz", Path = "z" } };

        var required = VolumePayloads.ConfigMap("cm", items, 511, false, Map());
        var optional = VolumePayloads.ConfigMap("cm", items, 511, true, Map());

        Assert.Equal("configmap references non-existent config key: zzz", required.Error);
        Assert.Equal(["x/y"], optional.Files!.Keys);
        Assert.Equal((UnixFileMode)256, optional.Files["x/y"].Mode);
    }

    [Fact]
    public void ConfigMapAndSecret_Missing_FailUnlessOptional()
    {
        Assert.Equal("configmap \"cm\" not found", VolumePayloads.ConfigMap("cm", null, null, false, null).Error);
        Assert.Empty(VolumePayloads.ConfigMap("cm", null, null, true, null).Files!);
        Assert.Equal("secret \"s\" not found", VolumePayloads.Secret("s", null, null, false, null).Error);
    }

    [Fact]
    public void DownwardApi_LabelsAnnotationsNameAndResources()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "ns", Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "say \"hi\"" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } } }] },
        };
        var items = new List<V1DownwardAPIVolumeFile>
        {
            new() { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } },
            new() { Path = "b", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels['b']" } },
            new() { Path = "cpu", ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "main", Resource = "limits.cpu", Divisor = new ResourceQuantity("1m") } },
            new() { Path = "mem", ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "main", Resource = "limits.memory", Divisor = new ResourceQuantity("1Gi") } },
        };

        var result = VolumePayloads.DownwardApi(items, null, pod, _node);

        Assert.Equal("a=\"say \\\"hi\\\"\"\nb=\"2\"", Text(result, "labels"));
        Assert.Equal("2", Text(result, "b"));
        Assert.Equal("250", Text(result, "cpu"));
        Assert.Equal("8", Text(result, "mem")); // no limit: the node's allocatable
    }

    [Fact]
    public void Merge_LaterSourceWins_FirstErrorFails()
    {
        var first = PayloadResult.Ok(new Dictionary<string, FileProjection> { ["a"] = new([1], (UnixFileMode)420) });
        var second = PayloadResult.Ok(new Dictionary<string, FileProjection> { ["a"] = new([2], (UnixFileMode)420) });

        Assert.Equal([2], VolumePayloads.Merge([first, second]).Files!["a"].Data);
        Assert.Equal("boom", VolumePayloads.Merge([first, PayloadResult.Fail("boom"), second]).Error);
    }

    [Theory]
    [InlineData("requests.cpu", null, "0")]
    [InlineData("limits.cpu", null, "4")]
    [InlineData("limits.cpu", "100m", "40")]
    [InlineData("requests.memory", "1Mi", "0")]
    [InlineData("limits.memory", "1Mi", "8192")]
    public void ResourceFields_UnsetLimitsAreTheNodes(string resource, string? divisor, string expected)
    {
        var (value, error) = ResourceFields.Value(new V1Container { Name = "c" }, resource, divisor is null ? null : new ResourceQuantity(divisor), _node);

        Assert.Null(error);
        Assert.Equal(expected, value);
    }
}
