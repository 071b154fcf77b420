namespace Berth.Core.Serialization.Protobuf;

/// <summary>
/// One field of a message in the schema table: its protobuf field number, its JSON name and how its value is converted.
/// <paramref name="KeepZero"/> mirrors Go: gogo-protobuf writes non-pointer scalars even when zero, while Go's JSON
/// drops them under <c>omitempty</c>; a zero value is therefore kept only for pointer fields (<c>*int32 replicas</c>)
/// and fields without <c>omitempty</c> (<c>containerPort</c>).
/// </summary>
internal sealed record ProtoField(int Number, string JsonName, FieldKind Kind, FieldShape Shape, string? MessageType, bool KeepZero)
{
    public static ProtoField Str(int number, string name, bool keep = false) => new(number, name, FieldKind.String, FieldShape.Single, null, keep);

    public static ProtoField Strs(int number, string name) => new(number, name, FieldKind.String, FieldShape.Repeated, null, true);

    public static ProtoField I32(int number, string name, bool keep = false) => new(number, name, FieldKind.Int32, FieldShape.Single, null, keep);

    public static ProtoField I32s(int number, string name) => new(number, name, FieldKind.Int32, FieldShape.Repeated, null, true);

    public static ProtoField I64(int number, string name, bool keep = false) => new(number, name, FieldKind.Int64, FieldShape.Single, null, keep);

    public static ProtoField I64s(int number, string name) => new(number, name, FieldKind.Int64, FieldShape.Repeated, null, true);

    public static ProtoField Bool(int number, string name, bool keep = false) => new(number, name, FieldKind.Bool, FieldShape.Single, null, keep);

    public static ProtoField Bytes(int number, string name, bool keep = false) => new(number, name, FieldKind.Bytes, FieldShape.Single, null, keep);

    public static ProtoField Msg(int number, string name, string type) => new(number, name, FieldKind.Message, FieldShape.Single, type, true);

    public static ProtoField Msgs(int number, string name, string type) => new(number, name, FieldKind.Message, FieldShape.Repeated, type, true);

    /// <summary>An embedded Go struct (<c>ProbeHandler</c> in <c>Probe</c>): its fields are written into the parent object.</summary>
    public static ProtoField Inline(int number, string type) => new(number, "", FieldKind.Inline, FieldShape.Single, type, true);

    public static ProtoField Time(int number, string name) => new(number, name, FieldKind.Time, FieldShape.Single, null, true);

    public static ProtoField MicroTime(int number, string name) => new(number, name, FieldKind.MicroTime, FieldShape.Single, null, true);

    public static ProtoField Duration(int number, string name) => new(number, name, FieldKind.Duration, FieldShape.Single, null, true);

    public static ProtoField IntOrStr(int number, string name) => new(number, name, FieldKind.IntOrString, FieldShape.Single, null, true);

    public static ProtoField Qty(int number, string name) => new(number, name, FieldKind.Quantity, FieldShape.Single, null, true);

    public static ProtoField Raw(int number, string name) => new(number, name, FieldKind.RawExtension, FieldShape.Single, null, true);

    public static ProtoField MapStr(int number, string name) => new(number, name, FieldKind.String, FieldShape.Map, null, true);

    public static ProtoField MapBytes(int number, string name) => new(number, name, FieldKind.Bytes, FieldShape.Map, null, true);

    public static ProtoField MapQty(int number, string name) => new(number, name, FieldKind.Quantity, FieldShape.Map, null, true);

    public static ProtoField MapMsg(int number, string name, string type) => new(number, name, FieldKind.Message, FieldShape.Map, type, true);
}
