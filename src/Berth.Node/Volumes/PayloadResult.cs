namespace Berth.Node.Volumes;

/// <summary>The files of a volume (relative path → file), or why they cannot be made (<c>MountVolume.SetUp failed</c>).</summary>
internal sealed record PayloadResult(IReadOnlyDictionary<string, FileProjection>? Files, string? Error)
{
    public static PayloadResult Ok(IReadOnlyDictionary<string, FileProjection> files) => new(files, null);

    public static PayloadResult Fail(string error) => new(null, error);
}
