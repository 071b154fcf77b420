using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Patching;
using Berth.Core.Resources;
using Berth.Core.Serialization;
using Berth.Core.Serialization.Protobuf;
using CsCheck;

namespace Berth.Core.Tests.Fuzzing;

/// <summary>
/// The request decoders on generated and mutated bodies (issue 11): JSON, YAML and kubectl's protobuf, then what the
/// API server does with a decoded body — unknown-field check, typed decode, prepare, default, validate — for every
/// served kind. Anything but the documented refusals would be a 500 (or a crash) in the API server.
/// </summary>
public sealed class DecoderFuzzTests
{
    /// <summary>The bodies kubectl's generators sent (Serialization/testdata/*/request.hex): seeds for mutation.</summary>
    private static readonly byte[][] _kubectlBodies = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Serialization", "testdata"), "request.hex", SearchOption.AllDirectories)
        .Select(f => Convert.FromHexString(string.Concat(File.ReadAllText(f).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))))
        .ToArray();

    [Fact]
    public void Json_AnyText_ParsedOrRefused() =>
        Fuzz.Check(Gen.Frequency((3, Inputs.Json()), (1, Inputs.Json().Select(t => t.Length > 2 ? t[..(t.Length / 2)] : t + "}"))), text =>
        {
            var node = JsonBody.Parse(Inputs.Utf8(text), DecodeLimits.Default);
            Admit(node);
        }, IsRefusal);

    [Fact]
    public void Yaml_AnyText_ParsedOrRefused() =>
        Fuzz.Check(Inputs.Yaml, text => Admit(ApplyPatch.ParseDocument(text)), IsRefusal);

    [Fact]
    public void Protobuf_MutatedKubectlBodies_DecodedOrRefused()
    {
        Assert.NotEmpty(_kubectlBodies);
        Fuzz.Check(Inputs.Mutations(_kubectlBodies), body => Admit(KubernetesProtobuf.Decode(body)), IsRefusal, Inputs.Print);
    }

    /// <summary>What the API server does with a decoded body, for every kind it serves (RestHandler.DecodeBody and the strategies).</summary>
    private static void Admit(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var resource in ResourceRegistry.Default.All)
        {
            _ = UnknownFieldDetector.Find(obj, resource.ModelType);
            k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> decoded;
            try
            {
                decoded = resource.DecodeBody((JsonObject)obj.DeepClone());
            }
            catch (Exception e) when (e is JsonException or FormatException)
            {
                continue; // RestHandler.DecodeBody answers 400 "cannot be handled as a …"
            }

            decoded.Metadata ??= new k8s.Models.V1ObjectMeta();
            resource.Strategy.PrepareForCreate(decoded);
            resource.Strategy.Default(decoded);
            _ = resource.Strategy.Validate(decoded);
        }
    }

    private static bool IsRefusal(Exception e) =>
        e is JsonException or PatchException or ProtobufDecodeException || e is StatusException { Status.Code: 413 };
}
