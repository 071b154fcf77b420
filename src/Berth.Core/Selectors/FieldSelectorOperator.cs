namespace Berth.Core.Selectors;

/// <summary>The operators of a field selector term.</summary>
public enum FieldSelectorOperator
{
    /// <summary><c>field=value</c></summary>
    Equals,

    /// <summary><c>field==value</c></summary>
    DoubleEquals,

    /// <summary><c>field!=value</c></summary>
    NotEquals,
}
