using Berth.Core.Patching;
using k8s.Models;

namespace Berth.Core.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    [Fact]
    public void Apply_PodConditions_MergeByType()
    {
        var original = Json.Parse("""
            {"status":{"phase":"Pending","conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}
            """);
        var patch = Json.Parse("""{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Started"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""
            {"status":{"phase":"Pending","conditions":[{"type":"Ready","status":"True","reason":"Started"},{"type":"PodScheduled","status":"True"}]}}
            """, result);
    }

    [Theory]
    [InlineData(typeof(V1Node), "status")]
    [InlineData(typeof(V1Deployment), "status")]
    [InlineData(typeof(V1ReplicaSet), "status")]
    [InlineData(typeof(V1Namespace), "status")]
    [InlineData(typeof(V1Service), "status")]
    public void Apply_StatusConditions_MergeByType(Type modelType, string field)
    {
        var original = Json.Parse($$$"""{"{{{field}}}":{"conditions":[{"type":"A","status":"True"},{"type":"B","status":"True"}]}}""");
        var patch = Json.Parse($$$"""{"{{{field}}}":{"conditions":[{"type":"B","status":"False"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, modelType);

        Json.Equal($$$"""{"{{{field}}}":{"conditions":[{"type":"A","status":"True"},{"type":"B","status":"False"}]}}""", result);
    }

    [Fact]
    public void Apply_NewItemWithoutSetElementOrder_GoesBeforeLiveItemsAsInKubernetes()
    {
        // apimachinery mergeSortedSlice: an item the live list does not have sorts before the live items.
        var original = Json.Parse("""{"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]}}""");
        var patch = Json.Parse("""{"status":{"addresses":[{"type":"ExternalIP","address":"1.2.3.4"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Node));

        Json.Equal("""
            {"status":{"addresses":[{"type":"ExternalIP","address":"1.2.3.4"},{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]}}
            """, result);
    }

    [Fact]
    public void Apply_GoCaseMergeListsOfMaps_KeepsServerOnlyFieldsInSetElementOrder()
    {
        // apimachinery strategicpatch patch_test.go "merge lists of maps" (three-way), on containers.
        var current = Json.Parse("""{"containers":[{"name":"1","workingDir":"a"},{"name":"2","image":"2","workingDir":"b"}]}""");
        var patch = Json.Parse("""
            {"$setElementOrder/containers":[{"name":"4"},{"name":"1"},{"name":"2"},{"name":"3"}],
             "containers":[{"name":"4","image":"4"},{"name":"3","image":"3"}]}
            """);

        var result = StrategicMergePatch.Apply(current, patch, typeof(V1PodSpec));

        Json.Equal("""
            {"containers":[{"name":"4","image":"4"},{"name":"1","workingDir":"a"},{"name":"2","image":"2","workingDir":"b"},{"name":"3","image":"3"}]}
            """, result);
    }

    [Fact]
    public void Apply_GoCaseAddMapAndDeleteMap_PlacesServerOnlyItemLikeKubernetes()
    {
        // apimachinery strategicpatch patch_test.go "add map and delete map from merging list" (three-way).
        var current = Json.Parse("""{"containers":[{"name":"1"},{"name":"2","workingDir":"b"},{"name":"4","workingDir":"c"}]}""");
        var patch = Json.Parse("""
            {"$setElementOrder/containers":[{"name":"2"},{"name":"3"}],
             "containers":[{"name":"3"},{"name":"1","$patch":"delete"}]}
            """);

        var result = StrategicMergePatch.Apply(current, patch, typeof(V1PodSpec));

        Json.Equal("""{"containers":[{"name":"2","workingDir":"b"},{"name":"4","workingDir":"c"},{"name":"3"}]}""", result);
    }

    [Fact]
    public void Apply_PatchReplaceOnMap_ReplacesWholeMap()
    {
        var original = Json.Parse("""{"metadata":{"labels":{"a":"1","b":"2"},"name":"x"}}""");
        var patch = Json.Parse("""{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"metadata":{"labels":{"c":"3"},"name":"x"}}""", result);
    }

    [Fact]
    public void Apply_PatchDeleteOnMap_DeletesMap()
    {
        var original = Json.Parse("""{"metadata":{"labels":{"a":"1"},"name":"x"}}""");
        var patch = Json.Parse("""{"metadata":{"labels":{"$patch":"delete"}}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"metadata":{"name":"x"}}""", result);
    }

    [Fact]
    public void Apply_PatchReplaceItemInMergeList_ReplacesWholeList()
    {
        var original = Json.Parse("""{"spec":{"containers":[{"name":"a","image":"a"},{"name":"b","image":"b"}]}}""");
        var patch = Json.Parse("""{"spec":{"containers":[{"$patch":"replace"},{"name":"c","image":"c"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"spec":{"containers":[{"name":"c","image":"c"}]}}""", result);
    }

    [Fact]
    public void Apply_PatchDeleteItem_RemovesOnlyThatItem()
    {
        var original = Json.Parse("""{"spec":{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","emptyDir":{}}]}}""");
        var patch = Json.Parse("""{"spec":{"volumes":[{"$patch":"delete","name":"a"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"spec":{"volumes":[{"name":"b","emptyDir":{}}]}}""", result);
    }

    [Fact]
    public void Apply_VolumeSourceChangedWithRetainKeys_DropsOldSource()
    {
        var original = Json.Parse("""{"spec":{"volumes":[{"name":"data","emptyDir":{}}]}}""");
        var patch = Json.Parse("""{"spec":{"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cm"},"name":"data"}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"spec":{"volumes":[{"name":"data","configMap":{"name":"cm"}}]}}""", result);
    }

    [Fact]
    public void Apply_ListWithoutMergeStrategy_IsReplacedWhole()
    {
        var original = Json.Parse("""{"spec":{"tolerations":[{"key":"a"}],"containers":[{"name":"c","command":["sleep","1"],"resizePolicy":[{"resourceName":"cpu","restartPolicy":"NotRequired"}]}]}}""");
        var patch = Json.Parse("""{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"c","command":["sleep"],"resizePolicy":[{"resourceName":"memory","restartPolicy":"RestartContainer"}]}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"c","command":["sleep"],"resizePolicy":[{"resourceName":"memory","restartPolicy":"RestartContainer"}]}]}}""", result);
    }

    [Fact]
    public void Apply_Finalizers_AreUnioned()
    {
        var original = Json.Parse("""{"metadata":{"finalizers":["a","b"]}}""");
        var patch = Json.Parse("""{"metadata":{"finalizers":["b","c"]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1ConfigMap));

        Json.Equal("""{"metadata":{"finalizers":["a","b","c"]}}""", result);
    }

    [Fact]
    public void Apply_OwnerReferences_MergeByUid()
    {
        var original = Json.Parse("""{"metadata":{"ownerReferences":[{"uid":"1","kind":"ReplicaSet","name":"rs"}]}}""");
        var patch = Json.Parse("""{"metadata":{"ownerReferences":[{"uid":"1","controller":true}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"metadata":{"ownerReferences":[{"uid":"1","kind":"ReplicaSet","name":"rs","controller":true}]}}""", result);
    }

    [Fact]
    public void Apply_ContainerPorts_MergeByContainerPort()
    {
        var original = Json.Parse("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}""");
        var patch = Json.Parse("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":443,"name":"https"}]}]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Pod));

        Json.Equal("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"},{"containerPort":443,"name":"https"}]}]}}""", result);
    }

    [Fact]
    public void Apply_UntypedMap_MergesAsPlainMap()
    {
        var original = Json.Parse("""{"data":{"a":"1","b":"2"},"x-unknown":{"k":{"v":1,"w":2},"list":[1,2]}}""");
        var patch = Json.Parse("""{"data":{"b":null,"c":"3"},"x-unknown":{"k":{"w":null},"list":[3]}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1ConfigMap));

        Json.Equal("""{"data":{"a":"1","c":"3"},"x-unknown":{"k":{"v":1},"list":[3]}}""", result);
    }

    [Fact]
    public void Apply_NewSubtree_DropsNullsAndDirectives()
    {
        var original = Json.Parse("""{"metadata":{"name":"x"}}""");
        var patch = Json.Parse("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"c"}],
              "containers":[{"name":"c","image":null,"env":[{"name":"A"},{"$patch":"delete","name":"B"}]}]}}}}
            """);

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1Deployment));

        Json.Equal("""{"metadata":{"name":"x"},"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"A"}]}]}}}}""", result);
    }

    [Fact]
    public void Apply_PodDisruptionBudgetSelector_IsReplacedNotMerged()
    {
        var original = Json.Parse("""{"spec":{"selector":{"matchLabels":{"a":"1"}}}}""");
        var patch = Json.Parse("""{"spec":{"selector":{"matchLabels":{"b":"2"}}}}""");

        var result = StrategicMergePatch.Apply(original, patch, typeof(V1PodDisruptionBudget));

        Json.Equal("""{"spec":{"selector":{"matchLabels":{"b":"2"}}}}""", result);
    }

    [Fact]
    public void Apply_TopPatchDelete_GivesEmptyObject()
    {
        var result = StrategicMergePatch.Apply(Json.Parse("""{"a":1}"""), Json.Parse("""{"$patch":"delete"}"""), typeof(V1ConfigMap));

        Json.Equal("{}", result);
    }

    [Theory]
    [InlineData("""[{"a":1}]""", "invalid JSON document: a strategic merge patch must be a JSON object")]
    [InlineData("""{"spec":{"containers":[{"image":"x"}]}}""", """map: {"image":"x"} does not contain declared merge key: name""")]
    [InlineData("""{"spec":{"containers":[{"$patch":"delete"}]}}""", """map: {"$patch":"delete"} does not contain declared merge key: name""")]
    [InlineData("""{"metadata":{"labels":{"$patch":"frobnicate"}}}""", """unknown patch type: frobnicate in map: {"$patch":"frobnicate"}""")]
    [InlineData("""{"spec":{"containers":[{"$patch":"merge"}]}}""", "merging lists cannot yet be specified in the patch")]
    [InlineData("""{"metadata":{"$retainKeys":["name"],"labels":{"a":"b"}}}""", "invalid patch format of retainKeys: key \"labels\" is in the patch but not in $retainKeys")]
    [InlineData("""{"metadata":{"$retainKeys":"name"}}""", "invalid patch format of retainKeys: $retainKeys must be a list of strings")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}""", "invalid patch format of primitive list: $deleteFromPrimitiveList/finalizers must be a list")]
    [InlineData("""{"spec":{"$setElementOrder/containers":{"name":"a"}}}""", "invalid patch format of setElementOrder list: $setElementOrder/containers must be a list")]
    [InlineData("""{"metadata":{"finalizers":[["x"]]}}""", "lists of lists are not supported")]
    public void Apply_MalformedPatch_ThrowsBadRequestWithClearMessage(string patch, string message)
    {
        var original = Json.Parse("""{"metadata":{"name":"x","finalizers":["a"]},"spec":{"containers":[{"name":"a"}]}}""");

        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(original, Json.Parse(patch), typeof(V1Pod)));

        Assert.Equal(message, error.Message);
        Assert.Equal(400, error.Code);
    }

    [Fact]
    public void Apply_SetElementOrderContradictsPatchOrder_ThrowsBadRequest()
    {
        var original = Json.Parse("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""");
        var patch = Json.Parse("""{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}}""");

        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(original, patch, typeof(V1Pod)));

        Assert.StartsWith("invalid patch format of setElementOrder list: the order in patch list", error.Message, StringComparison.Ordinal);
    }
}
