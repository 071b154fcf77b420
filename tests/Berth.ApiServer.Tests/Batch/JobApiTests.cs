using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Batch;

/// <summary>batch/v1 Jobs through the API: CRUD and watch with the official C# client, kubectl's generator (protobuf), tables and validation errors with the installed kubectl.</summary>
public sealed class JobApiTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public JobApiTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    private static V1Job Job(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1JobSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }] },
            },
        },
    };

    private async Task<string> NamespaceAsync(string name)
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    [Fact]
    public async Task Crud_CSharpClient_DefaultsStatusSubresourceAndWatch()
    {
        var ns = await NamespaceAsync("job-crud");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string)>();
        var created = await _server.Client.BatchV1.CreateNamespacedJobAsync(Job("a"), ns);
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, job) in _server.Client.BatchV1.WatchListNamespacedJobAsync(ns, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                events.Add((type, job.Status?.Active?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });

        created.Status = new V1JobStatus { Active = 1, StartTime = DateTime.UtcNow };
        var withStatus = await _server.Client.BatchV1.ReplaceNamespacedJobStatusAsync(created, "a", ns);
        withStatus.Status.Active = 7;
        withStatus.Spec.Parallelism = 2;
        var updated = await _server.Client.BatchV1.ReplaceNamespacedJobAsync(withStatus, "a", ns);
        await _server.Client.BatchV1.DeleteNamespacedJobAsync("a", ns);
        await watch;

        Assert.Equal(6, created.Spec.BackoffLimit);
        Assert.Equal("NonIndexed", created.Spec.CompletionMode);
        Assert.Equal(created.Metadata.Uid, created.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal(1, updated.Status.Active);
        Assert.Equal(2, updated.Spec.Parallelism);
        Assert.Equal([(WatchEventType.Modified, "1"), (WatchEventType.Modified, "1"), (WatchEventType.Deleted, "1")], events);
    }

    [Fact]
    public async Task KubectlCreateJob_Protobuf_RestartPolicyNeverAndCommand()
    {
        var ns = await NamespaceAsync("job-gen");

        var output = await _kubectl.OkAsync("create", "job", "once", "--image=busybox", "-n", ns, "--", "sh", "-c", "exit 0");

        var job = await _server.Client.BatchV1.ReadNamespacedJobAsync("once", ns);
        Assert.Equal("job.batch/once created", output.Trim());
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal(["sh", "-c", "exit 0"], job.Spec.Template.Spec.Containers[0].Command);
        Assert.Equal("once", job.Spec.Template.Metadata.Labels["batch.kubernetes.io/job-name"]);
    }

    [Fact]
    public async Task KubectlGet_JobTable_ColumnsAndWideColumns()
    {
        var ns = await NamespaceAsync("job-table");
        await _server.Client.BatchV1.CreateNamespacedJobAsync(Job("t"), ns);

        var table = await _kubectl.OkAsync("get", "jobs", "-n", ns);
        var wide = await _kubectl.OkAsync("get", "job", "t", "-n", ns, "-o", "wide");

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["t", "Running", "0/1"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        Assert.StartsWith("NAME   STATUS    COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES    SELECTOR", wide, StringComparison.Ordinal);
        Assert.Contains("main         busybox   batch.kubernetes.io/controller-uid=", wide, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlApply_RestartPolicyAlways_RefusedWithKubernetesMessage()
    {
        var ns = await NamespaceAsync("job-invalid");
        const string manifest = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: bad
            spec:
              template:
                spec:
                  restartPolicy: Always
                  containers:
                  - name: main
                    image: busybox
            """;

        var result = await _kubectl.RunAsync(["apply", "-n", ns, "-f", "-"], manifest);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The Job \"bad\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KubectlGetAll_IncludesJobs()
    {
        var ns = await NamespaceAsync("job-all");
        await _server.Client.BatchV1.CreateNamespacedJobAsync(Job("in-all"), ns);

        var output = await _kubectl.OkAsync("get", "all", "-n", ns);

        Assert.Contains("job.batch/in-all", output, StringComparison.Ordinal);
    }
}
