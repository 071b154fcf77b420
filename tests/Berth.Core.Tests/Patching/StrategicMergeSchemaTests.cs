using Berth.Core.Patching;
using k8s.Models;

namespace Berth.Core.Tests.Patching;

public sealed class StrategicMergeSchemaTests
{
    [Fact]
    public void TableKeys_Always_NameAListOrMapMemberOfTheirType()
    {
        var keys = StrategicMergeSchema.TableKeys.ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.NotNull(StrategicMergeSchema.MemberType(key.Type, key.JsonName)));
    }

    [Theory]
    [InlineData(typeof(V1PodSpec), "containers", "name")]
    [InlineData(typeof(V1PodSpec), "hostAliases", "ip")]
    [InlineData(typeof(V1PodSpec), "topologySpreadConstraints", "topologyKey")]
    [InlineData(typeof(V1Container), "volumeMounts", "mountPath")]
    [InlineData(typeof(V1ServiceSpec), "ports", "port")]
    [InlineData(typeof(V1PodStatus), "podIPs", "ip")]
    [InlineData(typeof(V1NodeStatus), "addresses", "type")]
    public void Lookup_KnownMergeList_GivesMergeKey(Type type, string jsonName, string mergeKey)
    {
        var meta = StrategicMergeSchema.Lookup(type, jsonName);

        Assert.Equal(FieldPatchStrategy.Merge, meta.Strategy);
        Assert.Equal(mergeKey, meta.MergeKey);
    }

    [Theory]
    [InlineData(typeof(V1PodStatus), "containerStatuses")]
    [InlineData(typeof(V1Container), "resizePolicy")]
    [InlineData(typeof(V1Container), "command")]
    [InlineData(typeof(V1NodeStatus), "images")]
    public void Lookup_UntaggedList_GivesNone(Type type, string jsonName)
    {
        var meta = StrategicMergeSchema.Lookup(type, jsonName);

        Assert.Equal(FieldPatchMeta.None, meta);
    }

    [Fact]
    public void MemberType_WalksDeploymentToContainers()
    {
        var spec = StrategicMergeSchema.MemberType(typeof(V1Deployment), "spec");
        var template = StrategicMergeSchema.MemberType(spec, "template");
        var podSpec = StrategicMergeSchema.MemberType(template, "spec");
        var containers = StrategicMergeSchema.MemberType(podSpec, "containers");

        Assert.Equal(typeof(V1PodSpec), podSpec);
        Assert.Equal(typeof(V1Container), StrategicMergeSchema.ElementType(containers));
        Assert.Equal(typeof(string), StrategicMergeSchema.MemberType(StrategicMergeSchema.MemberType(typeof(V1ObjectMeta), "labels"), "any"));
        Assert.Null(StrategicMergeSchema.MemberType(typeof(V1PodSpec), "noSuchField"));
    }
}
