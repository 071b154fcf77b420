namespace Berth.Core.Serialization;

/// <summary>
/// What decoding one request body may read and build. kube-apiserver bounds the body at 3 MiB
/// (<c>apiserver/pkg/server/config.go</c> <c>MaxRequestBodyBytes</c>), JSON and YAML nesting at 10,000 levels
/// (<c>encoding/json</c>, go-yaml's <c>max_flow_level</c>/<c>max_indents</c>) and YAML alias expansion by go-yaml's
/// alias ratio (CVE-2019-11253). Berth keeps the byte limit and the alias rule, nests at most 64 levels (every
/// Kubernetes kind Berth serves fits in 20; the decoders and patch engines recurse, and 64 is also
/// System.Text.Json's own default), and bounds what a body builds: a YAML body may not expand past the JSON a
/// body of <see cref="MaxBytes"/> could hold, and no body may build more than <see cref="MaxNodes"/> values.
/// </summary>
public sealed record DecodeLimits
{
    /// <summary>The limits the API server uses unless configured otherwise.</summary>
    public static DecodeLimits Default { get; } = new();

    /// <summary>Request body bytes, and the JSON size a YAML body may expand to (aliases included).</summary>
    public long MaxBytes { get; init; } = 3 * 1024 * 1024;

    /// <summary>Objects and arrays nested in each other; the outermost object is level 1.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Values (objects, arrays, strings, numbers, booleans, nulls) one body may decode to. A decoded value costs far
    /// more memory than its bytes on the wire (<c>{}</c> is two bytes and a typed model of a few hundred), so the
    /// byte limit alone does not bound what decoding builds.
    /// </summary>
    public int MaxNodes { get; init; } = 50_000;

    /// <summary>Throws when a limit is not positive.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxNodes, 1);
    }
}
