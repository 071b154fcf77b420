namespace Berth.Core.Serialization.Protobuf;

/// <summary>The protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure); groups (3, 4) are not used by Kubernetes.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
