using Berth.Core.Errors;
using Berth.Core.Strategies;
using k8s.Models;

namespace Berth.Core.Tests.Strategies;

public sealed class CronJobStrategyTests
{
    private static V1CronJob CronJob(string schedule = "*/5 * * * *", Action<V1CronJobSpec>? configure = null)
    {
        var cronJob = new V1CronJob
        {
            Metadata = new V1ObjectMeta { Name = "tick", NamespaceProperty = "default", Uid = "u" },
            Spec = new V1CronJobSpec
            {
                Schedule = schedule,
                JobTemplate = new V1JobTemplateSpec
                {
                    Spec = new V1JobSpec
                    {
                        Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "OnFailure", Containers = [new V1Container { Name = "main", Image = "busybox" }] } },
                    },
                },
            },
        };
        configure?.Invoke(cronJob.Spec);
        return cronJob;
    }

    private static IReadOnlyList<FieldError> Create(V1CronJob cronJob)
    {
        var strategy = new CronJobStrategy();
        strategy.PrepareForCreate(cronJob);
        strategy.Default(cronJob);
        return strategy.Validate(cronJob);
    }

    [Fact]
    public void Default_MinimalCronJob_BatchV1Defaults()
    {
        var cronJob = CronJob();

        var errors = Create(cronJob);

        Assert.Empty(errors);
        Assert.Equal(("Allow", false, 3, 1), (cronJob.Spec.ConcurrencyPolicy, cronJob.Spec.Suspend, cronJob.Spec.SuccessfulJobsHistoryLimit, cronJob.Spec.FailedJobsHistoryLimit));
        Assert.Null(cronJob.Spec.JobTemplate.Spec.BackoffLimit);
        Assert.Equal("ClusterFirst", cronJob.Spec.JobTemplate.Spec.Template.Spec.DnsPolicy);
    }

    [Theory]
    [InlineData("@hourly")]
    [InlineData("@daily")]
    [InlineData("@midnight")]
    [InlineData("@weekly")]
    [InlineData("@monthly")]
    [InlineData("@yearly")]
    [InlineData("0 9-17/2 * * 1-5")]
    [InlineData("30 4 1,15 * *")]
    [InlineData("0 0 * JAN,JUL SUN")]
    public void Validate_StandardSchedules_Accepted(string schedule)
    {
        Assert.Empty(Create(CronJob(schedule)));
    }

    [Theory]
    [InlineData("* * * *", "spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]")]
    [InlineData("@fortnightly", "spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly")]
    [InlineData("TZ=Europe/Paris 0 12 * * *", "spec.schedule: Invalid value: \"TZ=Europe/Paris 0 12 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead")]
    public void Validate_BadSchedule_RefusedAsKubernetes(string schedule, string expected)
    {
        Assert.Equal(expected, Assert.Single(Create(CronJob(schedule))).ToString());
    }

    [Fact]
    public void Validate_MinuteOutOfRange_Invalid()
    {
        var error = Assert.Single(Create(CronJob("61 * * * *")));

        Assert.StartsWith("spec.schedule: Invalid value: \"61 * * * *\": ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EmptyScheduleAndBadPolicy_EachReported()
    {
        var errors = Create(CronJob("", s => s.ConcurrencyPolicy = "Sometimes"));

        Assert.Equal(
            ["spec.schedule: Required value", "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""],
            errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_TimeZones_KnownAcceptedLocalAndUnknownRefused()
    {
        Assert.Empty(Create(CronJob(configure: s => s.TimeZone = "Europe/Paris")));
        Assert.Equal(
            "spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
            Assert.Single(Create(CronJob(configure: s => s.TimeZone = "Local"))).ToString());
        Assert.Equal(
            "spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus",
            Assert.Single(Create(CronJob(configure: s => s.TimeZone = "Mars/Olympus"))).ToString());
    }

    [Fact]
    public void Validate_NameLongerThan52_Refused()
    {
        var cronJob = CronJob();
        cronJob.Metadata.Name = new string('a', 53);

        Assert.Equal("metadata.name: Invalid value: \"" + cronJob.Metadata.Name + "\": must be no more than 52 characters", Assert.Single(Create(cronJob)).ToString());
    }

    [Fact]
    public void Validate_JobTemplateWithSelectorOrAlwaysRestart_Refused()
    {
        var errors = Create(CronJob(configure: s =>
        {
            s.JobTemplate.Spec.Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["a"] = "b" } };
            s.JobTemplate.Spec.Template.Spec.RestartPolicy = "Always";
        }));

        Assert.Equal(
            [
                "spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
                "spec.jobTemplate.spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\"",
            ],
            errors.Select(e => e.ToString()));
    }
}
