using k8s.Models;

namespace Berth.Controllers.Tests.Jobs;

/// <summary>Job objects and reads for the integration tests of the Jobs folder.</summary>
internal static class Jobs
{
    public static V1Job Job(string ns, string name, int? completions = 1, int parallelism = 1, int? backoffLimit = null, string? mode = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1JobSpec
        {
            Completions = completions,
            Parallelism = parallelism,
            BackoffLimit = backoffLimit,
            CompletionMode = mode,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox", Command = ["sh", "-c", "exit 0"] }] },
            },
        },
    };

    public static V1JobCondition? Condition(V1Job? job, string type) =>
        job?.Status?.Conditions?.FirstOrDefault(c => c.Type == type && c.Status == "True");
}
