using System.Globalization;
using System.Text;
using Berth.Node.Pods;
using Berth.Node.Runtime;

namespace Berth.Node.Tests.Streams;

/// <summary>
/// A container for the streaming tests, standing in for the pod runtime: a real process started by
/// <see cref="ProcessLauncher"/> whose stdout and stderr are written to a CRI log file as the runtime writes them.
/// </summary>
internal sealed class TestContainer
{
    private readonly CancellationTokenSource _exited = new();
    private readonly List<string> _previousFiles = [];

    private TestContainer(string name, string directory, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        Name = name;
        Directory = directory;
        Environment = environment;
        LogPath = Path.Combine(directory, name + ".log");
    }

    public string Name { get; }

    public string Directory { get; }

    public string LogPath { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    public LaunchedProcess? Process { get; private set; }

    public Task Done { get; private set; } = Task.CompletedTask;

    /// <summary>Starts <paramref name="command"/> and copies its output, line by line, into the CRI log file.</summary>
    public static TestContainer Start(ProcessLauncher launcher, string name, string directory, IReadOnlyList<string> command, IReadOnlyList<KeyValuePair<string, string>>? environment = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var container = new TestContainer(name, directory, environment ?? [new("PATH", ProcessLauncher.DefaultPath)]);
        File.WriteAllText(container.LogPath, "");
        var process = launcher.Launch(new ProcessSpec
        {
            FileName = command[0],
            Arguments = command.Skip(1).ToList(),
            Environment = container.Environment,
            WorkingDirectory = directory,
        });
        container.Process = process;
        var gate = new SemaphoreSlim(1, 1);
        var pumps = Task.WhenAll(
            CopyAsync(process.StandardOutput, "stdout", container.LogPath, gate),
            CopyAsync(process.StandardError, "stderr", container.LogPath, gate));
        container.Done = Task.Run(async () =>
        {
            await process.Exited;
            await pumps;
            await container._exited.CancelAsync();
        });
        return container;
    }

    /// <summary>A container that is not running (for <c>previous</c>, waiting and error cases).</summary>
    public static TestContainer Stopped(string name, string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var container = new TestContainer(name, directory, []);
        container._exited.Cancel();
        return container;
    }

    /// <summary>Adds a log file of an earlier run (what <c>previous=true</c> reads).</summary>
    public void AddPreviousRun(params string[] criLines)
    {
        var path = Path.Combine(Directory, $"{Name}.{_previousFiles.Count}.previous.log");
        File.WriteAllText(path, string.Concat(criLines.Select(l => l + "\n")));
        _previousFiles.Add(path);
    }

    public ContainerView View() => new()
    {
        Name = Name,
        Environment = Environment,
        WorkingDirectory = Directory,
        RestartCount = _previousFiles.Count,
        Running = Process is not null && !_exited.IsCancellationRequested,
        ProcessId = Process?.Pid,
        Exited = _exited.Token,
        LogFiles = previous => previous
            ? _previousFiles.TakeLast(1).ToList()
            : Process is null && !File.Exists(LogPath) ? [] : [LogPath],
    };

    public static string CriLine(DateTimeOffset time, string stream, string text, bool partial = false) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture) + " " + stream + (partial ? " P " : " F ") + text;

    private static async Task CopyAsync(Stream source, string stream, string path, SemaphoreSlim gate)
    {
        using var reader = new StreamReader(source, Encoding.UTF8);
        while (await reader.ReadLineAsync() is { } line)
        {
            await gate.WaitAsync();
            try
            {
                await File.AppendAllTextAsync(path, CriLine(DateTimeOffset.UtcNow, stream, line) + "\n");
            }
            finally
            {
                gate.Release();
            }
        }
    }
}
