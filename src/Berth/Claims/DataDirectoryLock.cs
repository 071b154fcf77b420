using System.Globalization;
using Berth.Core.Files;

namespace Berth.Claims;

/// <summary>
/// One Berth per data directory: an exclusive lock on <c>berth.lock</c> (flock, dropped by the kernel when the process
/// ends, however it ends) taken before anything in the directory is written, and the holder's pid in
/// <c>berth.pid</c> so that a second Berth can say who holds it. The directory is created 0700 and both files 0600
/// (<see cref="PrivateFiles"/>), so that the API server's check at start finds nothing to narrow.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream held) => _lock = held;

    /// <summary>The lock file's name.</summary>
    public const string FileName = "berth.lock";

    /// <summary>Takes the lock of <paramref name="dataDir"/> (created if missing) or throws <see cref="ClaimException"/>.</summary>
    public static DataDirectoryLock Acquire(string dataDir) =>
        TryAcquire(dataDir, out var holder)
        ?? throw new ClaimException($"the data directory {dataDir} is in use by another berth (pid {holder}); stop it first, or give this one another --data-dir");

    /// <summary>Takes the lock of <paramref name="dataDir"/> (created if missing), or returns null and the pid that holds it.</summary>
    public static DataDirectoryLock? TryAcquire(string dataDir, out string holder)
    {
        PrivateFiles.CreateDirectory(dataDir);
        var lockPath = Path.Combine(dataDir, FileName);
        var pidPath = Path.Combine(dataDir, "berth.pid");
        FileStream held;
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Linux; another holder → IOException.
            held = PrivateFiles.Open(lockPath, FileShare.None);
        }
        catch (IOException)
        {
            holder = File.Exists(pidPath) ? File.ReadAllText(pidPath).Trim() : "unknown";
            return null;
        }

        PrivateFiles.WriteAllText(pidPath, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        holder = "";
        return new DataDirectoryLock(held);
    }

    public void Dispose() => _lock.Dispose();
}
