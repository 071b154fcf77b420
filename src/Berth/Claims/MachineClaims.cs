using System.Text.Json;

namespace Berth.Claims;

/// <summary>
/// The machine-wide register of what running Berths hold, so that several clusters run side by side without binding or
/// handing out the same addresses. Each claim is two files in a shared directory (<c>/tmp/berth-claims</c>, sticky and
/// world-writable like /tmp itself, so the Berths of all local users see each other): <c>&lt;id&gt;.json</c> says what
/// is held, and <c>&lt;id&gt;.lock</c> carries an exclusive flock for the holder's lifetime, which the kernel drops when
/// that process ends, however it ends. A claim whose lock can be taken is dead and is removed. Checking and claiming
/// happen under <c>register.lock</c>, so two Berths starting at once cannot both take the same range.
/// </summary>
internal sealed class MachineClaims : IDisposable
{
    private static readonly JsonSerializerOptions _json = new() { WriteIndented = true };

    private readonly FileStream _held;
    private readonly string _jsonPath;
    private readonly string _lockPath;

    private MachineClaims(FileStream held, string jsonPath, string lockPath)
    {
        _held = held;
        _jsonPath = jsonPath;
        _lockPath = lockPath;
    }

    /// <summary>The register's directory (tests point it elsewhere).</summary>
    public static string Directory { get; set; } = Path.Combine(Path.GetTempPath(), "berth-claims");

    /// <summary>
    /// Under the register's lock: reads the live claims of other Berths, lets <paramref name="decide"/> choose what to
    /// claim (it throws <see cref="ClaimException"/> when nothing fits), and records that claim for this process.
    /// </summary>
    public static MachineClaims Claim(Func<IReadOnlyList<MachineClaim>, MachineClaim> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        EnsureDirectory();
        using var register = Open(Path.Combine(Directory, "register.lock"), wait: true)!;
        var claim = decide(ReadLive());
        var id = $"{claim.Pid}-{Guid.NewGuid():N}";
        var lockPath = Path.Combine(Directory, id + ".lock");
        var jsonPath = Path.Combine(Directory, id + ".json");
        var held = Open(lockPath, wait: false) ?? throw new InvalidOperationException("a fresh claim file is locked: " + lockPath);
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(claim, _json));
        return new MachineClaims(held, jsonPath, lockPath);
    }

    /// <summary>The claims of Berths that are running now.</summary>
    public static IReadOnlyList<MachineClaim> ReadLive()
    {
        EnsureDirectory();
        var live = new List<MachineClaim>();
        foreach (var jsonPath in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            var lockPath = Path.ChangeExtension(jsonPath, ".lock");
            using (var probe = Open(lockPath, wait: false))
            {
                if (probe is not null)
                {
                    // Nobody holds it: its Berth is gone.
                    TryDelete(jsonPath);
                    TryDelete(lockPath);
                    continue;
                }
            }

            try
            {
                if (JsonSerializer.Deserialize<MachineClaim>(File.ReadAllText(jsonPath), _json) is { } claim)
                {
                    live.Add(claim);
                }
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                // Being written, or unreadable: not a claim we can honour.
            }
        }

        return live;
    }

    public void Dispose()
    {
        TryDelete(_jsonPath);
        TryDelete(_lockPath);
        _held.Dispose();
    }

    private static void EnsureDirectory()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.CreateDirectory(Directory);
            try
            {
                File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                    | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit);
            }
            catch (UnauthorizedAccessException)
            {
                // Another user made it between our check and our create; theirs is as good.
            }
        }

        var register = Path.Combine(Directory, "register.lock");
        if (!File.Exists(register))
        {
            try
            {
                // Every user's Berth takes this lock exclusively, so every user must be able to open it for writing.
                File.WriteAllBytes(register, []);
                File.SetUnixFileMode(register, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
                    | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another Berth made it meanwhile.
            }
        }
    }

    /// <summary>Opens <paramref name="path"/> with an exclusive flock: null when another process holds it and
    /// <paramref name="wait"/> is false; retried for a while when it is true.</summary>
    private static FileStream? Open(string path, bool wait)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (true)
        {
            try
            {
                return OpenLocked(path);
            }
            catch (IOException) when (!wait)
            {
                return null;
            }
            catch (IOException) when (Environment.TickCount64 < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>FileShare.None takes flock(LOCK_EX | LOCK_NB) on Linux: another holder → IOException. Another user's
    /// file is opened read-only (flock works on a read-only descriptor).</summary>
    private static FileStream OpenLocked(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException)
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
