namespace Berth.Cli.Start;

/// <summary>What a start brought up: its ready block, and a task that completes with a message when it fails while running.</summary>
internal sealed record Started(ReadyBlock Ready, Task<string> Failed);
