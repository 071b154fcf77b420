using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;

namespace Berth.Core.Tests.Fuzzing;

/// <summary>Generators of request-shaped input: JSON and YAML text, byte mutations of real bodies, selector text.</summary>
internal static class Inputs
{
    /// <summary>Keys that reach the typed paths and the patch directives, and some that reach nothing.</summary>
    private static readonly string[] _keys =
    [
        "apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "finalizers", "ownerReferences", "uid",
        "spec", "status", "containers", "initContainers", "ports", "port", "containerPort", "targetPort", "protocol", "env",
        "value", "image", "command", "args", "selector", "matchLabels", "template", "replicas", "data", "items", "conditions",
        "type", "clusterIP", "clusterIPs", "volumes", "volumeMounts", "mountPath", "tolerations", "key",
        "$patch", "$retainKeys", "$setElementOrder/containers", "$setElementOrder/ports", "$deleteFromPrimitiveList/finalizers",
        "$deleteFromPrimitiveList/args", "<<", "", "x", "0", "-", "~1", "a/b", "é",
    ];

    private static readonly Gen<string> _key = Gen.Frequency(
        (6, Gen.OneOfConst(_keys)),
        (1, Gen.String[Gen.Char["abcxyz-_./$~0123456789é\"\\ "], 0, 8]));

    private static readonly Gen<string> _scalar = Gen.Frequency(
        (3, Gen.OneOfConst("null", "true", "false", "0", "-1", "80", "1e400", "3.5", "9223372036854775808", "\"\"", "\"merge\"", "\"delete\"", "\"replace\"", "\"TCP\"", "\"10.0.0.1\"", "\"abc\"")),
        (2, Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (2, Gen.String[Gen.Char["abcAZ09-_./:é\\\"\n\t "], 0, 12].Select(s => JsonSerializer.Serialize(s))));

    /// <summary>A JSON value as text, nested at most <paramref name="depth"/> levels.</summary>
    public static Gen<string> Json(int depth = 6) => depth == 0
        ? _scalar
        : Gen.Frequency(
            (3, _scalar),
            (2, Gen.Select(_key, Json(depth - 1)).Select((k, v) => JsonSerializer.Serialize(k) + ":" + v).Array[0, 5].Select(members => "{" + string.Join(",", members) + "}")),
            (1, Json(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")));

    /// <summary>A JSON object as text.</summary>
    public static Gen<string> JsonObject { get; } = Gen.Select(_key, Json(5)).Select((k, v) => JsonSerializer.Serialize(k) + ":" + v).Array[0, 6]
        .Select(members => "{" + string.Join(",", members) + "}");

    /// <summary>An RFC 6902 patch: ops with pointers made of the keys, indices and '-', sometimes malformed.</summary>
    public static Gen<string> JsonPatchText { get; } = Gen.Select(
            Gen.OneOfConst("add", "remove", "replace", "move", "copy", "test", "bogus"),
            Pointer(),
            Pointer(),
            Json(3),
            Gen.Int[0, 3])
        .Select((op, path, from, value, shape) => shape switch
        {
            0 => $$"""{"op":"{{op}}","path":{{path}},"value":{{value}}}""",
            1 => $$"""{"op":"{{op}}","path":{{path}},"from":{{from}}}""",
            2 => $$"""{"op":"{{op}}","path":{{path}}}""",
            _ => value,
        })
        .Array[0, 5].Select(ops => "[" + string.Join(",", ops) + "]");

    /// <summary>YAML-ish text: JSON, or flow and block YAML with anchors, aliases, merge keys, tags and odd characters.</summary>
    public static Gen<string> Yaml { get; } = Gen.Frequency(
        (2, Json(5)),
        (3, Gen.Select(_key, Gen.OneOfConst("&a ", "*a", "&b ", "*b", "!!str ", "!!int ", "<<: *a", "[*a, *b]", "{<<: *b}", "|\n  x", ">-\n  y", "- ", "? ", "'q'", "~", "[", "{", "", "- - -"), _scalar, Gen.Int[0, 4])
            .Select((k, marker, v, indent) => new string(' ', indent * 2) + k + ": " + marker + v)
            .Array[1, 12].Select(lines => string.Join("\n", lines) + "\n")),
        (1, Gen.String[Gen.Char["ab:-[]{}&*!|>#'\"\n ,?<.~0@%\t"], 0, 120]));

    /// <summary>Mutations of <paramref name="seeds"/>: bytes flipped, cut short, spliced with random bytes.</summary>
    public static Gen<byte[]> Mutations(IReadOnlyList<byte[]> seeds) =>
        Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, 3], Gen.Int.Array[1, 8], Gen.Byte.Array[0, 16])
            .Select((which, how, positions, random) =>
            {
                var body = seeds[which].ToArray();
                if (body.Length == 0)
                {
                    return random;
                }

                int At(int p) => (int)((uint)p % (uint)body.Length);
                switch (how)
                {
                    case 0:
                        foreach (var p in positions)
                        {
                            body[At(p)] ^= (byte)(1 << (p & 7));
                        }

                        return body;
                    case 1:
                        return body[..At(positions[0])];
                    case 2:
                        return [.. body[..At(positions[0])], .. random, .. body[At(positions[0])..]];
                    default:
                        foreach (var p in positions)
                        {
                            body[At(p)] = random.Length > 0 ? random[At(p) % random.Length] : (byte)0xFF;
                        }

                        return body;
                }
            });

    /// <summary>Selector-ish text: words and operators of label and field selectors, and stray characters.</summary>
    public static Gen<string> Selector { get; } = Gen.Frequency(
            (4, Gen.OneOfConst("app", "tier", "metadata.name", "spec.nodeName", "status.phase", "=", "==", "!=", ",", " in ", " notin ", "(", ")", "!", "a", "b-c", "x.y/z", "", " ", "()", "(a,b)", "a=b", "exists", "-", "_", "\\", "\\,", "\\=", "é", "9", "k8s.io/x")),
            (1, Gen.String[Gen.Char["abz09-_./=!,()\\ é"], 0, 6]))
        .Array[0, 12].Select(parts => string.Concat(parts));

    private static Gen<string> Pointer() => Gen.Frequency(
            (4, _key.Select(k => k.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))),
            (2, Gen.OneOfConst("0", "1", "-", "99", "01", "~", "~2")))
        .Array[0, 4]
        .Select(segments => JsonSerializer.Serialize(segments.Length == 0 ? "" : "/" + string.Join("/", segments)));

    public static string Print(byte[] body) => Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 256)));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
