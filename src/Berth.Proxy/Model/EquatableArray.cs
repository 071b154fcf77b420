namespace Berth.Proxy.Model;

/// <summary>Builds <see cref="EquatableArray{T}"/> values (collection expressions use <see cref="Create{T}"/>).</summary>
internal static class EquatableArray
{
    public static EquatableArray<T> Create<T>(ReadOnlySpan<T> items) => items.IsEmpty ? default : new(items.ToArray());

    public static EquatableArray<T> ToEquatableArray<T>(this IEnumerable<T> items) => new([.. items]);
}
