namespace Berth.Core.Serialization.Protobuf;

/// <summary>Whether a field holds one value, a list, or a protobuf map (repeated entries of key=1, value=2).</summary>
internal enum FieldShape
{
    Single,
    Repeated,
    Map,
}
