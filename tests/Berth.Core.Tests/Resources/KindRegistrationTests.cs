using System.Reflection;
using System.Text.Json.Nodes;
using Berth.Core.OpenApi;
using Berth.Core.Resources;
using Berth.Core.Serialization.Protobuf;
using Berth.Core.Tables;
using k8s.Models;

namespace Berth.Core.Tests.Resources;

/// <summary>
/// Every served kind is one registration (<c>ResourceRegistry.Kinds.cs</c>); these tests walk all of them and fail when
/// a part is missing or disagrees with another: names against the KubernetesClient model's own
/// <c>[KubernetesEntity]</c>, decoding, the strategy, the table printer, the protobuf root message, the verbs, the
/// OpenAPI schema.
/// </summary>
public sealed class KindRegistrationTests
{
    public static TheoryData<string> Kinds() => [.. ResourceRegistry.Default.All.Select(r => r.ApiVersion + "/" + r.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registration_NamesAgreeWithTheModel(string kind)
    {
        var r = Find(kind);
        var entity = r.ModelType.GetCustomAttribute<KubernetesEntityAttribute>();

        Assert.NotNull(entity);
        Assert.Equal((entity.Group, entity.ApiVersion, entity.Kind), (r.Group, r.Version, r.Kind));
        // The generated models of the reviews name no plural; every other one must agree.
        Assert.Equal(string.IsNullOrEmpty(entity.PluralName) ? r.Kind.ToLowerInvariant() + "s" : entity.PluralName, r.Plural);
        Assert.Equal(r.Kind.ToLowerInvariant(), r.Singular);
        Assert.Same(r, ResourceRegistry.Default.Find(r.Group, r.Version, r.Plural));
        // A kind in several versions: the preferred one (registered first) answers the version-less lookups.
        var preferred = ResourceRegistry.Default.Find(r.Group, r.Plural);
        Assert.Same(preferred, ResourceRegistry.Default.FindKind(r.Group, r.Kind));
        Assert.Same(r.StoredAs ?? r, preferred?.StoredAs ?? preferred);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registration_OtherVersion_ConvertsToItsStorageAndBack(string kind)
    {
        var r = Find(kind);
        if (r.StoredAs is not { } storage)
        {
            Assert.Null(r.Converter);
            return;
        }

        var json = new JsonObject { ["apiVersion"] = r.ApiVersion, ["kind"] = r.Kind, ["metadata"] = new JsonObject { ["name"] = "x", ["namespace"] = "ns" } };

        var stored = r.Converter!.ToStorage(json.DeepClone().AsObject());
        var back = r.Converter.FromStorage(stored.DeepClone().AsObject());

        Assert.Null(storage.StoredAs);
        Assert.Equal(storage.ApiVersion, stored["apiVersion"]!.GetValue<string>());
        Assert.Equal(r.ApiVersion, back["apiVersion"]!.GetValue<string>());
        Assert.Equal("x", back["metadata"]!["name"]!.GetValue<string>());
        Assert.IsType(storage.ModelType, storage.Decode(stored));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registration_DecodesValidatesAndPrintsAnObject(string kind)
    {
        var r = Find(kind);
        var json = new JsonObject { ["apiVersion"] = r.ApiVersion, ["kind"] = r.Kind, ["metadata"] = new JsonObject { ["name"] = "x" } };

        var obj = r.DecodeBody(json);
        r.Strategy.PrepareForCreate(obj);
        r.Strategy.Default(obj);
        _ = r.Strategy.Validate(obj);
        var table = TableConvertor.Convert(r, [obj], "1", null, DateTimeOffset.UnixEpoch);

        Assert.IsType(r.ModelType, obj);
        Assert.Contains("Name", TableConvertor.ColumnsFor(r).Select(c => c.Name));
        Assert.Single(table["rows"]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registration_ProtobufMessage_InTheSchema(string kind)
    {
        var r = Find(kind);
        if (r.ProtobufMessage is not { } message)
        {
            Assert.DoesNotContain((r.ApiVersion, r.Kind), KubernetesSchema.Instance.Kinds);
            return;
        }

        Assert.Equal(message, KubernetesSchema.Instance.RootMessage(r.ApiVersion, r.Kind));
        Assert.NotEmpty(KubernetesSchema.Instance.Fields(message));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registration_Verbs_StoredOrCreateOnly(string kind)
    {
        var r = Find(kind);

        if (r.IsStored)
        {
            Assert.Equal(ResourceInfo.StoredVerbs, r.Verbs);
        }
        else
        {
            Assert.Equal(ResourceInfo.CreateOnlyVerbs, r.Verbs);
            Assert.Empty(r.Subresources);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Registration_OpenApiSchema_HasItsGroupVersionKind(string kind)
    {
        var r = Find(kind);

        var schemas = OpenApiSchemas.For([r]);

        // kubectl explain finds a kind's schema by this extension (explain/v2 templates).
        var schema = schemas[OpenApiSchemas.NameOf(r.ModelType)]!.AsObject();
        var gvk = Assert.Single(schema["x-kubernetes-group-version-kind"]!.AsArray())!;
        Assert.Equal((r.Group, r.Version, r.Kind), ((string)gvk["group"]!, (string)gvk["version"]!, (string)gvk["kind"]!));
        Assert.NotNull(schema["description"]);
        Assert.Contains("metadata", schema["properties"]!.AsObject().Select(p => p.Key));
    }

    private static ResourceInfo Find(string kind) => ResourceRegistry.Default.All.Single(r => r.ApiVersion + "/" + r.Kind == kind);
}
