using Berth.Client.Http;
using Berth.Node;
using Berth.Node.Pods;
using Microsoft.Extensions.Logging.Abstractions;

// Usage: Berth.Node.AgentHost <kubeconfig> <node name> <data dir> <pod CIDR>
// Runs a PodManager for the node, prints "started" once it runs, and stops when stdin closes.
if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: Berth.Node.AgentHost <kubeconfig> <node name> <data dir> <pod CIDR>");
    return 2;
}

using var client = HttpApiClient.FromKubeconfig(args[0]);
var options = new NodeAgentOptions { NodeName = args[1], DataDir = args[2] };
await using var pods = new PodManager(client, options, args[3], NullLoggerFactory.Instance);
await pods.StartAsync(CancellationToken.None);
Console.WriteLine("started");
await Console.In.ReadToEndAsync();
return 0;
