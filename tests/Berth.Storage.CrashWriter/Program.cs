using System.Globalization;
using System.Text;
using Berth.Storage;

// Usage: Berth.Storage.CrashWriter <database path> [writers]
// Creates keys from concurrent writers until killed, printing "<key> <revision>" for each acknowledged create.
if (args.Length < 1)
{
    await Console.Error.WriteLineAsync("usage: Berth.Storage.CrashWriter <database path> [writers]").ConfigureAwait(false);
    return 2;
}

var writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var output = Console.Out;
var gate = new Lock();
var payload = Encoding.UTF8.GetBytes(new string('x', 256));

await using var store = await SqliteStore.OpenAsync(new SqliteStoreOptions { Path = args[0] }, CancellationToken.None).ConfigureAwait(false);
await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
{
    for (var i = 0; ; i++)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"/registry/crash/{writer}/{i}");
        var result = await store.CreateAsync(key, payload, CancellationToken.None).ConfigureAwait(false);
        if (result.Outcome != StoreOutcome.Ok)
        {
            throw new InvalidOperationException($"create {key}: {result.Outcome}");
        }

        lock (gate)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} {result.Value!.ModRevision}"));
            output.Flush();
        }
    }
}))).ConfigureAwait(false);
return 0;
