namespace Berth.Client;

/// <summary>Selectors of a list. Both are in the Kubernetes text form (<c>app=web,tier!=db</c>, <c>spec.nodeName=n1</c>).</summary>
public sealed record ListQuery
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }
}
