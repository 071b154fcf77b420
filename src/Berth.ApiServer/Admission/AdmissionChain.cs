namespace Berth.ApiServer.Admission;

/// <summary>The admission plugins, run in order on every client write (the server's own writes skip them).</summary>
internal sealed class AdmissionChain : IAdmissionPlugin
{
    private readonly IReadOnlyList<IAdmissionPlugin> _plugins;

    public AdmissionChain(params IReadOnlyList<IAdmissionPlugin> plugins) => _plugins = plugins;

    public static AdmissionChain None { get; } = new();

    public async ValueTask AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        foreach (var plugin in _plugins)
        {
            await plugin.AdmitAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
