namespace Berth.Node.Streams;

/// <summary>The query of <c>/exec/{ns}/{pod}/{container}</c> (Kubernetes' PodExecOptions).</summary>
internal sealed record ExecRequest(IReadOnlyList<string> Command, bool Stdin, bool Stdout, bool Stderr, bool Tty);
