using Berth.Tests.Infrastructure;

namespace Berth.Tests;

/// <summary>Jobs with real processes: <c>berth up</c>, the installed kubectl, pods that exit 0 or 1.</summary>
public sealed class JobTests
{
    [Fact]
    public async Task Up_JobsOfRealProcesses_OneCompletesOneFailsAtItsBackoffLimit()
    {
        await using var cluster = await Cluster.UpAsync();
        var kubectl = cluster.Kubectl;
        var manifest = Path.Combine(cluster.DataDir, "failing-job.yaml");
        await File.WriteAllTextAsync(manifest, """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: fails
            spec:
              backoffLimit: 0
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: busybox
                    command: ["sh", "-c", "echo giving up; exit 3"]
            """);

        await kubectl.OkAsync("create", "job", "ok", "--image=busybox", "--", "sh", "-c", "echo done by $HOSTNAME; exit 0");
        await kubectl.OkAsync("apply", "-f", manifest);

        var waited = await kubectl.OkAsync("wait", "--for=condition=complete", "job/ok", "--timeout=60s");
        Assert.Equal("job.batch/ok condition met", waited.Trim());
        Assert.Contains("done by ok-", await kubectl.OkAsync("logs", "job/ok"), StringComparison.Ordinal);
        var row = (await kubectl.OkAsync("get", "job", "ok", "--no-headers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ok", "Complete", "1/1"], row[..3]);
        Assert.Equal("Succeeded", await kubectl.OkAsync("get", "pods", "-l", "job-name=ok", "-o", "jsonpath={.items[0].status.phase}"));

        var failed = await kubectl.OkAsync("wait", "--for=condition=failed", "job/fails", "--timeout=60s");
        Assert.Equal("job.batch/fails condition met", failed.Trim());
        Assert.Equal("BackoffLimitExceeded", await kubectl.OkAsync("get", "job", "fails", "-o", "jsonpath={.status.conditions[?(@.type==\"Failed\")].reason}"));
        Assert.Equal("1", await kubectl.OkAsync("get", "job", "fails", "-o", "jsonpath={.status.failed}"));
        Assert.Contains("giving up", await kubectl.OkAsync("logs", "job/fails"), StringComparison.Ordinal);

        // Deleting the Jobs deletes their pods (the tracking finalizer is gone once they were counted).
        await kubectl.OkAsync("delete", "job", "ok", "fails", "--wait=true");
        await cluster.KubectlUntilAsync(o => o.Trim().Length == 0, TimeSpan.FromSeconds(30), "get", "pods", "-o", "name");
    }
}
