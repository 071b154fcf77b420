using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core.Serialization;
using Berth.Node.Pods;
using Berth.Node.Runtime;
using Microsoft.Extensions.Logging;

namespace Berth.Node.Streams;

/// <summary>
/// One <c>exec</c> over the channel WebSocket protocol (kubectl-wire.md §7): the command runs as a host process with
/// the container's environment and working directory in the pod's sandbox (its /etc/resolv.conf, /etc/hosts and host
/// name), started by <see cref="ProcessLauncher"/> (so it dies with the agent); stdout and stderr go out on channels 1
/// and 2, stdin comes in on channel 0 (EOF: v5 channel 255), a tty is resized by channel 4, and the exit status
/// leaves on channel 3.
/// </summary>
internal sealed partial class ExecSession
{
    /// <summary>The shell line that makes the pty the exec process's controlling terminal and stdio, then runs the command.</summary>
    private const string TtyShim = "exec 0<>\"$0\" 1>&0 2>&0; exec \"$@\"";

    private readonly ProcessLauncher _launcher;
    private readonly ILogger _logger;

    /// <summary>How long the session waits, after its close frame, for the client's.</summary>
    private static readonly TimeSpan _closeEchoGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a tty exec waits for the client's terminal size before starting the command.</summary>
    private static readonly TimeSpan _initialSizeWait = TimeSpan.FromMilliseconds(300);

    public ExecSession(ProcessLauncher launcher, ILogger logger)
    {
        _launcher = launcher;
        _logger = logger;
    }

    public async Task RunAsync(WebSocket socket, ContainerView container, ExecRequest request, CancellationToken cancellationToken)
    {
        using var channels = new ChannelWriter(socket);
        using var pty = request.Tty ? Pty.Open() : null;
        // kubectl sends the terminal's size right after connecting: a command such as `stty size` or a full-screen
        // program should start on a terminal of that size, not 0x0, so the first message is given a moment.
        Task<byte[]?>? first = null;
        if (pty is not null)
        {
            first = WebSocketMessages.ReceiveAsync(socket, CancellationToken.None);
            await Task.WhenAny(first, Task.Delay(_initialSizeWait, cancellationToken)).ConfigureAwait(false);
            if (first.IsCompletedSuccessfully && first.Result is { Length: > 1 } message && message[0] == ChannelProtocols.Resize)
            {
                Resize(pty, message.AsSpan(1));
                first = null;
            }
        }

        LaunchedProcess process;
        try
        {
            process = Launch(container, request, pty);
        }
        catch (ProcessStartException e)
        {
            Log.ExecFailed(_logger, container.Name, e.Message);
            await channels.SendAsync(ChannelProtocols.Error, StatusBytes(StartFailure(e.Message)), cancellationToken).ConfigureAwait(false);
            await channels.CloseAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        using var clientGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var input = pty?.Master ?? process.StandardInput;
        var receive = ReceiveAsync(socket, first, input, pty, clientGone);
        Task output;
        if (pty is not null)
        {
            output = channels.PumpAsync(pty.Master, request.Stdout ? ChannelProtocols.Stdout : null, cancellationToken);
        }
        else
        {
            output = Task.WhenAll(
                channels.PumpAsync(process.StandardOutput, request.Stdout ? ChannelProtocols.Stdout : null, cancellationToken),
                channels.PumpAsync(process.StandardError, request.Stderr ? ChannelProtocols.Stderr : null, cancellationToken));
        }

        int exitCode;
        using (clientGone.Token.Register(() => process.Signal(Signals.Kill)))
        {
            exitCode = await process.Exited.ConfigureAwait(false);
        }

        pty?.ReleaseSlave();
        // Bounded: something outside the process group may still hold the terminal; the status is sent anyway.
        await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken)).ConfigureAwait(false);

        Log.ExecEnded(_logger, container.Name, exitCode);
        if (!clientGone.IsCancellationRequested)
        {
            // The status and the close frame are two writes, the close right after; then the connection ends soon, as
            // the kubelet's does (x/net/websocket's Close writes the close frame and closes the connection). A client
            // that polls its socket before reading (the Python client) sees the close with the connection's end, not
            // when a longer wait for its echo runs out.
            await channels.SendAsync(ChannelProtocols.Error, StatusBytes(ExitStatus(exitCode, request.Command)), cancellationToken).ConfigureAwait(false);
            await channels.CloseAsync(cancellationToken).ConfigureAwait(false);
            // A short grace for a client that echoes the close at once (kubectl, the C# client): its close, and any
            // stdin still in flight, are read rather than answered with a reset.
            await Task.WhenAny(receive, Task.Delay(_closeEchoGrace, cancellationToken)).ConfigureAwait(false);
        }
    }

    private LaunchedProcess Launch(ContainerView container, ExecRequest request, Pty? pty)
    {
        var environment = container.Environment.ToList();
        if (pty is null)
        {
            return _launcher.Launch(new ProcessSpec
            {
                FileName = request.Command[0],
                Arguments = request.Command.Skip(1).ToList(),
                Environment = environment,
                WorkingDirectory = container.WorkingDirectory,
                RedirectStandardInput = request.Stdin,
                Sandbox = container.Sandbox,
                User = container.User,
            });
        }

        // Container runtimes give a tty exec TERM=xterm unless the container sets TERM.
        if (!environment.Exists(e => e.Key == "TERM"))
        {
            environment.Add(new("TERM", "xterm"));
        }

        // The shim would report a missing command on the terminal; fail the way a plain exec does instead.
        var path = environment.LastOrDefault(e => e.Key == "PATH").Value;
        _ = ProcessLauncher.ResolveExecutable(request.Command[0], path, container.WorkingDirectory)
            ?? throw new ProcessStartException($"exec: \"{request.Command[0]}\": executable file not found in $PATH");
        if (container.User is { } user)
        {
            // The shim opens the terminal after setpriv; a runtime gives the container's user its console the same way.
            Posix.ChangeOwner(pty.SlavePath, user.Uid, -1);
        }

        return _launcher.Launch(new ProcessSpec
        {
            FileName = "/bin/sh",
            Arguments = ["-c", TtyShim, pty.SlavePath, .. request.Command],
            Environment = environment,
            WorkingDirectory = container.WorkingDirectory,
            Sandbox = container.Sandbox,
            User = container.User,
        });
    }

    /// <summary>Client → process: stdin (channel 0), resize (4), stream close (255, v5). Cancels <paramref name="clientGone"/> when the client leaves first.</summary>
    private static async Task ReceiveAsync(WebSocket socket, Task<byte[]?>? first, Stream? input, Pty? pty, CancellationTokenSource clientGone)
    {
        while (await (first ?? WebSocketMessages.ReceiveAsync(socket, CancellationToken.None)).ConfigureAwait(false) is { } message)
        {
            first = null;
            if (message.Length == 0)
            {
                continue;
            }

            var data = message.AsMemory(1);
            switch (message[0])
            {
                case ChannelProtocols.Stdin when input is not null && data.Length > 0:
                    try
                    {
                        await input.WriteAsync(data).ConfigureAwait(false);
                        await input.FlushAsync().ConfigureAwait(false);
                    }
                    catch (IOException)
                    {
                        // The process no longer reads its stdin.
                    }

                    break;
                case ChannelProtocols.Resize when pty is not null:
                    Resize(pty, data.Span);
                    break;
                case ChannelProtocols.Close when data.Length > 0 && data.Span[0] == ChannelProtocols.Stdin && pty is null && input is not null:
                    await input.DisposeAsync().ConfigureAwait(false);
                    input = null;
                    break;
                default:
                    break;
            }
        }

        // The client closed or the connection broke: a process it no longer watches is killed.
        await clientGone.CancelAsync().ConfigureAwait(false);
    }

    private static void Resize(Pty pty, ReadOnlySpan<byte> json)
    {
        try
        {
            var size = JsonNode.Parse(json);
            var width = size?["Width"]?.GetValue<int>() ?? 0;
            var height = size?["Height"]?.GetValue<int>() ?? 0;
            if (width is > 0 and <= ushort.MaxValue && height is > 0 and <= ushort.MaxValue)
            {
                pty.Resize((ushort)width, (ushort)height);
            }
        }
        catch (JsonException)
        {
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>The channel-3 Status (kubectl-wire.md §7): Success, or NonZeroExitCode with the code as a cause.</summary>
    public static JsonObject ExitStatus(int exitCode, IReadOnlyList<string> command) => exitCode == 0
        ? new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }
        : new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode.ToString(CultureInfo.InvariantCulture)}",
            ["reason"] = "NonZeroExitCode",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(CultureInfo.InvariantCulture) }),
            },
        };

    private static JsonObject StartFailure(string message) => new()
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = "Internal error occurred: error executing command in container: " + message,
        ["reason"] = "InternalError",
        ["code"] = 500,
    };

    // The kubelet writes the channel-3 Status with json.Marshal: Go's escaping, no newline.
    private static byte[] StatusBytes(JsonObject status) => Encoding.UTF8.GetBytes(GoJson.Serialize(status));

    private static partial class Log
    {
        [LoggerMessage(EventId = 6310, Level = LogLevel.Information, Message = "exec in container {Container} could not start: {Reason}")]
        public static partial void ExecFailed(ILogger logger, string container, string reason);

        [LoggerMessage(EventId = 6311, Level = LogLevel.Debug, Message = "exec in container {Container} ended with exit code {ExitCode}")]
        public static partial void ExecEnded(ILogger logger, string container, int exitCode);
    }
}
