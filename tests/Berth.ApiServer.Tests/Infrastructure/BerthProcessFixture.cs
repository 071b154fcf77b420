namespace Berth.ApiServer.Tests.Infrastructure;

/// <summary>
/// One <c>berth server</c> process for a test class, in a temporary data directory removed afterwards: for tests that
/// measure the server's own memory (its peak resident set is its alone, unlike the test process's).
/// </summary>
public sealed class BerthProcessFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "berth-proc-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly AddressBlock _block = AddressBlock.Claim();
    private BerthProcess? _server;

    public BerthProcess Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await BerthProcess.StartAsync(_dataDir, BerthProcess.FreePort(), _block);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _block.Dispose();

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
