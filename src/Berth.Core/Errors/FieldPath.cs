namespace Berth.Core.Errors;

/// <summary>
/// A path to a field, rendered as apimachinery's <c>field.Path</c> does: <c>spec.ports[0].name</c>,
/// <c>metadata.labels[app]</c>.
/// </summary>
public sealed class FieldPath
{
    private readonly FieldPath? _parent;
    private readonly string _segment;

    private FieldPath(FieldPath? parent, string segment)
    {
        _parent = parent;
        _segment = segment;
    }

    public static FieldPath Root(string name) => new(null, name);

    public FieldPath Child(string name) => new(this, "." + name);

    public FieldPath Index(int index) => new(this, "[" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");

    public FieldPath Key(string key) => new(this, "[" + key + "]");

    public override string ToString() => _parent is null ? _segment.TrimStart('.') : _parent + _segment;
}
