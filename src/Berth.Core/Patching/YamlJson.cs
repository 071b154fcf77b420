using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Core.Errors;
using Berth.Core.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Berth.Core.Patching;

/// <summary>
/// Reads one YAML document into a <see cref="JsonNode"/>, as sigs.k8s.io/yaml's <c>YAMLToJSON</c> does for
/// kube-apiserver. Plain scalars resolve by the YAML 1.2 core schema (null, booleans, integers, floats); quoted and
/// block scalars, and <c>!!str</c>, are strings. Anchors, aliases and merge keys (<c>&lt;&lt;</c>) are expanded.
/// </summary>
/// <remarks>
/// Built from the parser's events with an explicit stack (no recursion, so no input can exhaust the stack) and
/// bounded by <see cref="DecodeLimits"/> while it builds: nesting depth (go-yaml: "exceeded max depth of N"), alias
/// expansion by go-yaml's own ratio (decode.go <c>allowedAliasRatio</c>: "document contains excessive aliasing"), and
/// the size and number of values of the result. An alias is checked against these limits before it is copied.
/// </remarks>
internal static class YamlJson
{
    private const string Prefix = "error converting YAML to JSON: yaml: ";
    private const string StrTag = "tag:yaml.org,2002:str";

    public static JsonNode? Parse(string text, DecodeLimits limits)
    {
        var builder = new Builder(limits);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                throw new PatchException("the apply patch is empty");
            }

            parser.Consume<DocumentStart>();
            var root = builder.ReadDocument(parser);
            parser.Consume<DocumentEnd>();
            if (!parser.TryConsume<StreamEnd>(out _))
            {
                throw new PatchException("the apply patch must be a single YAML document");
            }

            return root;
        }
        catch (YamlException e)
        {
            throw new PatchException(Prefix + Describe(e), e);
        }
        catch (Exception e) when (e.TargetSite?.DeclaringType?.Assembly == typeof(Parser).Assembly)
        {
            // YamlDotNet's scanner also throws other types on some malformed input (found by fuzzing): still a syntax error.
            throw new PatchException(Prefix + e.Message, e);
        }
    }

    private static string Describe(YamlException e) =>
        e.Start.Line > 0 ? $"line {e.Start.Line.ToString(CultureInfo.InvariantCulture)}: {e.Message}" : e.Message;

    private static PatchException Fail(string message) => new(Prefix + message);

    /// <summary>What an anchored node costs to copy: the values it holds, its JSON size and how deep it nests.</summary>
    private readonly record struct Anchored(JsonNode? Value, long Nodes, long Bytes, int Height);

    /// <summary>A mapping or sequence being built.</summary>
    private sealed class Frame(JsonNode container, string? anchor, int depth, long nodesBefore, long bytesBefore)
    {
        public JsonNode Container { get; } = container;

        public string? Anchor { get; } = anchor;

        public int Depth { get; } = depth;

        public long NodesBefore { get; } = nodesBefore;

        public long BytesBefore { get; } = bytesBefore;

        /// <summary>The deepest level reached inside this container (for the height of an anchored copy).</summary>
        public int Deepest { get; set; } = depth;

        /// <summary>For a mapping: the key read, waiting for its value; null when a key comes next.</summary>
        public string? Key { get; set; }

        public bool MergeKey { get; set; }

        /// <summary>Mappings named by <c>&lt;&lt;</c>: their keys are added at the end where the mapping has none.</summary>
        public List<JsonObject>? Merges { get; set; }
    }

    private sealed class Builder(DecodeLimits limits)
    {
        private readonly Dictionary<string, Anchored> _anchors = new(StringComparer.Ordinal);
        private readonly HashSet<string> _open = new(StringComparer.Ordinal);
        private readonly Stack<Frame> _stack = new();
        private long _nodes;
        private long _aliasNodes;
        private long _bytes;

        public JsonNode? ReadDocument(IParser parser)
        {
            JsonNode? root = null;
            var done = false;
            while (!done)
            {
                var value = ReadValue(parser, out var complete);
                if (!complete)
                {
                    continue;
                }

                if (_stack.Count == 0)
                {
                    root = value;
                    done = true;
                }
                else
                {
                    Attach(value);
                }
            }

            return root;
        }

        /// <summary>Consumes one event; returns a finished value (complete) or opens/closes a container.</summary>
        private JsonNode? ReadValue(IParser parser, out bool complete)
        {
            complete = true;
            var parent = _stack.Count > 0 ? _stack.Peek() : null;
            var depth = (parent?.Depth ?? 0) + 1;
            switch (parser.Consume<ParsingEvent>())
            {
                case Scalar scalar:
                    Count(1, (scalar.Value?.Length ?? 0) + 3, alias: false);
                    if (parent is { Container: JsonObject, Key: null } && scalar.Style == ScalarStyle.Plain && scalar.Value == "<<")
                    {
                        parent.MergeKey = true;
                    }

                    var node = ConvertScalar(scalar);
                    if (!scalar.Anchor.IsEmpty)
                    {
                        _anchors[scalar.Anchor.Value] = new Anchored(node, 1, (scalar.Value?.Length ?? 0) + 3, 0);
                    }

                    return node;
                case AnchorAlias alias:
                    return Expand(alias.Value.Value, depth);
                case MappingStart mapping:
                    Open(new JsonObject(), mapping.Anchor, depth);
                    complete = false;
                    return null;
                case SequenceStart sequence:
                    Open(new JsonArray(), sequence.Anchor, depth);
                    complete = false;
                    return null;
                case MappingEnd or SequenceEnd:
                    return Close();
                case var other:
                    throw Fail($"unexpected {other.GetType().Name} at line {other.Start.Line.ToString(CultureInfo.InvariantCulture)}");
            }
        }

        private void Open(JsonNode container, AnchorName anchor, int depth)
        {
            if (depth > limits.MaxDepth)
            {
                throw Fail($"exceeded max depth of {limits.MaxDepth.ToString(CultureInfo.InvariantCulture)}");
            }

            if (_stack.TryPeek(out var parent) && parent.Container is JsonObject && parent.Key is null)
            {
                throw Fail("invalid map key: a mapping key must be a scalar");
            }

            Count(1, 2, alias: false);
            var name = anchor.IsEmpty ? null : anchor.Value;
            if (name is not null)
            {
                _open.Add(name);
            }

            _stack.Push(new Frame(container, name, depth, _nodes - 1, _bytes - 2));
        }

        private JsonNode Close()
        {
            var frame = _stack.Pop();
            if (frame.Merges is { } merges && frame.Container is JsonObject target)
            {
                ApplyMerges(target, merges);
            }

            if (_stack.TryPeek(out var parent))
            {
                parent.Deepest = Math.Max(parent.Deepest, frame.Deepest);
            }

            if (frame.Anchor is { } anchor)
            {
                _open.Remove(anchor);
                _anchors[anchor] = new Anchored(frame.Container, _nodes - frame.NodesBefore, _bytes - frame.BytesBefore, frame.Deepest - frame.Depth + 1);
            }

            return frame.Container;
        }

        /// <summary>Puts a finished value into the container on top of the stack.</summary>
        private void Attach(JsonNode? value)
        {
            var frame = _stack.Peek();
            if (frame.Container is JsonArray array)
            {
                array.Add(value);
                return;
            }

            if (frame.Key is null)
            {
                if (value is JsonObject or JsonArray)
                {
                    throw Fail("invalid map key: a mapping key must be a scalar");
                }

                frame.Key = KeyText(value);
                return;
            }

            if (frame.MergeKey)
            {
                AddMerge(frame, value);
            }
            else
            {
                ((JsonObject)frame.Container)[frame.Key] = value;
            }

            frame.Key = null;
            frame.MergeKey = false;
        }

        private static string KeyText(JsonNode? key) => key switch
        {
            null => "null",
            JsonValue value when value.TryGetValue<string>(out var s) => s,
            JsonValue value when value.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => key.ToJsonString(),
        };

        /// <summary><c>&lt;&lt;: *a</c> or <c>&lt;&lt;: [*a, *b]</c> (go-yaml decode.go <c>merge</c>).</summary>
        private static void AddMerge(Frame frame, JsonNode? value)
        {
            var sources = value switch
            {
                JsonObject map => [map],
                JsonArray list when list.All(i => i is JsonObject) => list.Cast<JsonObject>().ToList(),
                _ => throw Fail("map merge requires map or sequence of maps as the value"),
            };
            (frame.Merges ??= []).AddRange(sources);
        }

        /// <summary>
        /// Keys the mapping sets itself win; of the merged maps, earlier ones win (the YAML merge key spec). The merged
        /// values were counted when they were read; they move up one level, so no limit can be crossed here.
        /// </summary>
        private static void ApplyMerges(JsonObject target, List<JsonObject> merges)
        {
            foreach (var source in merges)
            {
                foreach (var (key, value) in source)
                {
                    if (!target.ContainsKey(key))
                    {
                        target[key] = value?.DeepClone();
                    }
                }
            }
        }

        private JsonNode? Expand(string name, int depth)
        {
            if (_open.Contains(name))
            {
                throw Fail($"anchor '{name}' value contains itself");
            }

            if (!_anchors.TryGetValue(name, out var anchored))
            {
                throw Fail($"unknown anchor '{name}' referenced");
            }

            return Copy(anchored.Value, anchored, depth);
        }

        /// <summary>Copies an anchored value after checking that the copy stays within every limit.</summary>
        private JsonNode? Copy(JsonNode? value, Anchored cost, int depth)
        {
            if (cost.Height > 0 && depth + cost.Height - 1 > limits.MaxDepth)
            {
                throw Fail($"exceeded max depth of {limits.MaxDepth.ToString(CultureInfo.InvariantCulture)}");
            }

            Count(cost.Nodes, cost.Bytes, alias: true);
            if (_stack.TryPeek(out var parent))
            {
                parent.Deepest = Math.Max(parent.Deepest, depth + Math.Max(cost.Height - 1, 0));
            }

            return value?.DeepClone();
        }

        /// <summary>
        /// Counts values built. go-yaml counts every decode and the ones under an alias, and refuses a document once
        /// more than 100 values come from aliases and they are too large a share of all (decode.go).
        /// </summary>
        private void Count(long nodes, long bytes, bool alias)
        {
            _nodes += nodes;
            _bytes += bytes;
            if (alias)
            {
                _aliasNodes += nodes;
                if (_aliasNodes > 100 && _nodes > 1000 && (double)_aliasNodes / _nodes > AllowedAliasRatio(_nodes))
                {
                    throw Fail("document contains excessive aliasing");
                }
            }

            if (_nodes > limits.MaxNodes)
            {
                throw StatusErrors.RequestEntityTooLarge(
                    $"limit is {limits.MaxNodes.ToString(CultureInfo.InvariantCulture)} values in one body; the YAML document holds more");
            }

            if (_bytes > limits.MaxBytes)
            {
                throw StatusErrors.RequestEntityTooLarge(
                    $"limit is {limits.MaxBytes.ToString(CultureInfo.InvariantCulture)}; the YAML document expands to more JSON than that");
            }
        }

        /// <summary>go-yaml decode.go: 99% may come from aliases up to 400,000 decodes, falling to 10% at 4,000,000.</summary>
        private static double AllowedAliasRatio(long decodes) => decodes switch
        {
            <= 400_000 => 0.99,
            >= 4_000_000 => 0.10,
            _ => 0.99 - (0.89 * (decodes - 400_000) / 3_600_000.0),
        };

        private static JsonNode? ConvertScalar(Scalar scalar)
        {
            var text = scalar.Value ?? string.Empty;
            if (scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StrTag))
            {
                return JsonValue.Create(text);
            }

            switch (text)
            {
                case "" or "~" or "null" or "Null" or "NULL":
                    return null;
                case "true" or "True" or "TRUE":
                    return JsonValue.Create(true);
                case "false" or "False" or "FALSE":
                    return JsonValue.Create(false);
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return JsonValue.Create(integer);
            }

            if (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] is '-' or '+' or '.')
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
                && double.IsFinite(real))
            {
                return JsonValue.Create(real);
            }

            return JsonValue.Create(text);
        }
    }
}
