namespace Berth.Node.Images;

/// <summary>
/// How a container's image turns into a host command: the argv to run, or why it cannot be run (shown as
/// <c>ErrImagePull</c>, then <c>ImagePullBackOff</c>).
/// </summary>
/// <param name="ImageId">What the container status shows as <c>imageID</c>.</param>
internal sealed record ImageResolution(IReadOnlyList<string>? Command, string? ImageId, string? Error)
{
    public static ImageResolution Run(IReadOnlyList<string> command, string imageId) => new(command, imageId, null);

    public static ImageResolution Fail(string error) => new(null, null, error);
}
