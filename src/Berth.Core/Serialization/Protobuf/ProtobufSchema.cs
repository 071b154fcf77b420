using System.Collections.Frozen;

namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// An immutable schema table: message name → fields by number, and the root message of each (apiVersion, kind).
/// Every message a field refers to must be in the table; the constructor checks, so a typo fails at start-up.
/// </summary>
internal sealed class ProtobufSchema
{
    private readonly FrozenDictionary<string, FrozenDictionary<int, ProtoField>> _messages;
    private readonly FrozenDictionary<(string ApiVersion, string Kind), string> _roots;

    public ProtobufSchema(
        IReadOnlyDictionary<string, ProtoField[]> messages,
        IReadOnlyDictionary<(string ApiVersion, string Kind), string> roots)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(roots);
        _messages = messages.ToFrozenDictionary(m => m.Key, m => m.Value.ToFrozenDictionary(f => f.Number));
        _roots = roots.ToFrozenDictionary();

        foreach (var (name, fields) in messages)
        {
            foreach (var field in fields)
            {
                if (field.MessageType is { } type && !_messages.ContainsKey(type))
                {
                    throw new ArgumentException($"{name}.{field.JsonName} refers to message {type}, which is not in the schema", nameof(messages));
                }
            }
        }

        foreach (var ((apiVersion, kind), root) in roots)
        {
            if (!_messages.ContainsKey(root))
            {
                throw new ArgumentException($"{apiVersion}, Kind={kind} refers to message {root}, which is not in the schema", nameof(roots));
            }
        }
    }

    public IEnumerable<(string ApiVersion, string Kind)> Kinds => _roots.Keys;

    public FrozenDictionary<int, ProtoField> Fields(string message) => _messages[message];

    public string? RootMessage(string apiVersion, string kind) => _roots.GetValueOrDefault((apiVersion, kind));
}
