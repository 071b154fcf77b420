using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Patching;
using Berth.Core.Serialization;
using CsCheck;
using k8s.Models;

namespace Berth.Core.Tests.Fuzzing;

/// <summary>The three patch engines on generated objects and patches: a result or a <see cref="PatchException"/>, nothing else.</summary>
public sealed class PatchFuzzTests
{
    private static readonly Type[] _types = [typeof(V1Pod), typeof(V1Service), typeof(V1Deployment), typeof(V1ConfigMap), typeof(V1EndpointSlice), typeof(V1Node)];

    [Fact]
    public void JsonPatch_AnyPatch_AppliedOrRefused() =>
        Fuzz.Check(Gen.Select(Inputs.JsonObject, Inputs.JsonPatchText), input =>
        {
            var (original, patch) = input;
            var before = Parse(original);
            _ = JsonPatch.Apply(before, Parse(patch)!);
            Assert.True(JsonNode.DeepEquals(before, Parse(original)), "the original was changed");
        }, IsRefusal);

    [Fact]
    public void MergePatch_AnyPatch_Applied() =>
        Fuzz.Check(Gen.Select(Inputs.JsonObject, Inputs.Json(5)), input =>
        {
            var (original, patch) = input;
            _ = MergePatch.Apply(Parse(original), Parse(patch));
        }, IsRefusal);

    [Fact]
    public void StrategicMergePatch_AnyPatch_AppliedOrRefused() =>
        Fuzz.Check(Gen.Select(Inputs.JsonObject, Inputs.JsonObject, Gen.Int[0, _types.Length - 1]), input =>
        {
            var (original, patch, type) = input;
            _ = StrategicMergePatch.Apply(Parse(original)!, Parse(patch)!, _types[type]);
        }, IsRefusal);

    /// <summary>As the API server reads a body: duplicate members are refused (those inputs are skipped).</summary>
    private static JsonNode? Parse(string json) => JsonBody.Parse(Encoding.UTF8.GetBytes(json), DecodeLimits.Default);

    private static bool IsRefusal(Exception e) => e is PatchException or JsonException;
}
