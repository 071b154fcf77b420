namespace Berth.Core.Serialization.Protobuf;

/// <summary>A request body that is not a well-formed Kubernetes protobuf object of a kind Berth can decode.</summary>
public sealed class ProtobufDecodeException : Exception
{
    public ProtobufDecodeException()
    {
    }

    public ProtobufDecodeException(string message)
        : base(message)
    {
    }

    public ProtobufDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
