namespace Berth.Core.Serialization.Protobuf;

/// <summary>How a protobuf field's value becomes JSON.</summary>
internal enum FieldKind
{
    /// <summary>A length-delimited UTF-8 string → JSON string.</summary>
    String,

    /// <summary>A varint read as a signed 32-bit integer → JSON number.</summary>
    Int32,

    /// <summary>A varint read as a signed 64-bit integer → JSON number.</summary>
    Int64,

    /// <summary>A varint → JSON true/false.</summary>
    Bool,

    /// <summary>Length-delimited bytes → base64 JSON string (Go's encoding of <c>[]byte</c>).</summary>
    Bytes,

    /// <summary>A nested message → JSON object.</summary>
    Message,

    /// <summary>A Go embedded struct (<c>json:",inline"</c>): a nested message whose fields join the parent's JSON object.</summary>
    Inline,

    /// <summary><c>metav1.Time</c> (Timestamp: seconds=1, nanos=2) → RFC 3339 in seconds; an empty payload is the zero time → null.</summary>
    Time,

    /// <summary><c>metav1.MicroTime</c> (seconds=1, nanos=2) → RFC 3339 with microseconds.</summary>
    MicroTime,

    /// <summary><c>metav1.Duration</c> (duration=1, nanoseconds) → Go duration string (<c>1h0m0s</c>).</summary>
    Duration,

    /// <summary><c>intstr.IntOrString</c> (type=1, intVal=2, strVal=3) → JSON number or string.</summary>
    IntOrString,

    /// <summary><c>resource.Quantity</c> (string=1) → JSON string.</summary>
    Quantity,

    /// <summary><c>runtime.RawExtension</c> (raw=1): JSON bytes, or a nested <c>k8s\0</c> protobuf object.</summary>
    RawExtension,
}
