namespace Berth.Core.Selectors;

/// <summary>The operators of a label requirement (apimachinery <c>selection.Operator</c>).</summary>
public enum LabelSelectorOperator
{
    /// <summary><c>key in (a,b)</c></summary>
    In,

    /// <summary><c>key notin (a,b)</c></summary>
    NotIn,

    /// <summary><c>key=value</c></summary>
    Equals,

    /// <summary><c>key==value</c></summary>
    DoubleEquals,

    /// <summary><c>key!=value</c></summary>
    NotEquals,

    /// <summary><c>key</c></summary>
    Exists,

    /// <summary><c>!key</c></summary>
    DoesNotExist,

    /// <summary><c>key&gt;3</c> (integer comparison, as Kubernetes allows in label selectors).</summary>
    GreaterThan,

    /// <summary><c>key&lt;3</c></summary>
    LessThan,
}
