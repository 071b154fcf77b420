using System.Collections.Frozen;
using System.Reflection;
using System.Xml;

namespace Berth.Core.OpenApi;

/// <summary>
/// Kubernetes' description of each KubernetesClient model type and property: the <c>&lt;summary&gt;</c> text the
/// client's generator copied from Kubernetes' OpenAPI document into <c>KubernetesClient.xml</c>, trimmed at build time
/// (<c>ModelDocs.xslt</c>, see Berth.Core.csproj) and embedded in this assembly.
/// </summary>
internal static class ModelDescriptions
{
    private const string Resource = "Berth.Core.OpenApi.KubernetesModelDocs.xml";

    private static readonly Lazy<FrozenDictionary<string, string>> _byMember = new(Load);

    /// <summary>The description of a model type, or null when the client has none.</summary>
    public static string? Of(Type model) => Find(model.Name);

    /// <summary>The description of a model property, or null when the client has none.</summary>
    public static string? Of(PropertyInfo property) => Find(property.DeclaringType!.Name + "." + property.Name);

    private static string? Find(string member) =>
        _byMember.Value.TryGetValue(member, out var text) && text.Length > 0 ? text : null;

    private static FrozenDictionary<string, string> Load()
    {
        using var stream = typeof(ModelDescriptions).Assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"{Resource} is not embedded; Berth.Core.csproj builds it from KubernetesClient.xml");
        using var reader = XmlReader.Create(stream);
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!reader.EOF)
        {
            // ReadElementContentAsString leaves the reader on the next node, often the next <m>: no Read() then.
            if (reader.NodeType == XmlNodeType.Element && reader.Name == "m")
            {
                var name = reader.GetAttribute("n")!;
                members[name] = reader.ReadElementContentAsString();
            }
            else
            {
                reader.Read();
            }
        }

        return members.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
