using Berth.ApiServer.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace Berth.ApiServer.Tests.Batch;

/// <summary>batch/v1 CronJobs through the API: kubectl's generators (protobuf), <c>create job --from=cronjob/…</c>, tables, validation, and the C# client.</summary>
public sealed class CronJobApiTests : IClassFixture<BerthServer>
{
    private readonly BerthServer _server;
    private readonly Infrastructure.Kubectl _kubectl;

    public CronJobApiTests(BerthServer server)
    {
        _server = server;
        _kubectl = new Infrastructure.Kubectl(server.KubeconfigPath, server.DataDir);
    }

    private async Task<string> NamespaceAsync(string name)
    {
        await _server.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    [Fact]
    public async Task KubectlCreateCronJob_ThenJobFromIt_BothStored()
    {
        var ns = await NamespaceAsync("cj-gen");

        var created = await _kubectl.OkAsync("create", "cronjob", "tick", "--image=busybox", "--schedule=*/5 * * * *", "-n", ns, "--", "sh", "-c", "date");
        var manual = await _kubectl.OkAsync("create", "job", "tick-manual", "--from=cronjob/tick", "-n", ns);

        var cronJob = await _server.Client.BatchV1.ReadNamespacedCronJobAsync("tick", ns);
        var job = await _server.Client.BatchV1.ReadNamespacedJobAsync("tick-manual", ns);
        Assert.Equal("cronjob.batch/tick created", created.Trim());
        Assert.Equal("job.batch/tick-manual created", manual.Trim());
        Assert.Equal("*/5 * * * *", cronJob.Spec.Schedule);
        Assert.Equal(("Allow", 3, 1), (cronJob.Spec.ConcurrencyPolicy, cronJob.Spec.SuccessfulJobsHistoryLimit, cronJob.Spec.FailedJobsHistoryLimit));
        Assert.Equal("OnFailure", cronJob.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("manual", job.Metadata.Annotations["cronjob.kubernetes.io/instantiate"]);
        Assert.Equal(cronJob.Metadata.Uid, Assert.Single(job.Metadata.OwnerReferences).Uid);
        Assert.Equal(["sh", "-c", "date"], job.Spec.Template.Spec.Containers[0].Command);
    }

    [Fact]
    public async Task KubectlGet_CronJobTableByShortName_ColumnsOfKubernetes()
    {
        var ns = await NamespaceAsync("cj-table");
        await _kubectl.OkAsync("create", "cronjob", "tick", "--image=busybox", "--schedule=@hourly", "-n", ns);

        var table = await _kubectl.OkAsync("get", "cj", "-n", ns);
        var wide = await _kubectl.OkAsync("get", "cj", "-n", ns, "-o", "wide");

        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE$", lines[0]);
        Assert.Matches(@"^tick\s+@hourly\s+<none>\s+False\s+0\s+<none>\s+\d+s$", lines[1]);
        Assert.Matches(@"CONTAINERS\s+IMAGES\s+SELECTOR\n.*tick\s+busybox\s+<none>", wide);
    }

    [Fact]
    public async Task Create_BadSchedule_KubectlPrintsTheFieldError()
    {
        var ns = await NamespaceAsync("cj-invalid");

        var result = await _kubectl.RunAsync(["create", "cronjob", "bad", "--image=busybox", "--schedule=* * *", "-n", ns]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error: failed to create cronjob: CronJob.batch \"bad\" is invalid: spec.schedule: Invalid value: \"* * *\": expected exactly 5 fields, found 3: [* * *]", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crud_CSharpClient_SuspendAndWatch()
    {
        var ns = await NamespaceAsync("cj-crud");
        var cronJob = new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "c" },
            Spec = new V1CronJobSpec
            {
                Schedule = "0 * * * *",
                TimeZone = "Europe/Paris",
                JobTemplate = new V1JobTemplateSpec { Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "m", Image = "busybox" }] } } } },
            },
        };
        var created = await _server.Client.BatchV1.CreateNamespacedCronJobAsync(cronJob, ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<(WatchEventType, bool?)>();
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, cj) in _server.Client.BatchV1.WatchListNamespacedCronJobAsync(ns, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                seen.Add((type, cj.Spec.Suspend));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        });

        await _server.Client.BatchV1.PatchNamespacedCronJobAsync(new V1Patch("""{"spec":{"suspend":true}}""", V1Patch.PatchType.MergePatch), "c", ns);
        await _server.Client.BatchV1.DeleteNamespacedCronJobAsync("c", ns);
        await watch;

        Assert.Equal([(WatchEventType.Modified, true), (WatchEventType.Deleted, true)], seen);
        Assert.Equal("Europe/Paris", created.Spec.TimeZone);
    }
}
