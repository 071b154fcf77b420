using System.Globalization;
using Berth.Client;
using Berth.Client.Events;
using Berth.Core.Resources;
using Berth.Core.Selectors;
using k8s.Models;

namespace Berth.Controllers.HorizontalPodAutoscalers;

public sealed partial class HorizontalPodAutoscalerController
{
    /// <summary><c>reconcileAutoscaler</c>: fills <paramref name="hpa"/>'s status (the caller writes it) and rescales the target.</summary>
    private async Task ReconcileAsync(string key, V2HorizontalPodAutoscaler hpa, CancellationToken ct)
    {
        var spec = hpa.Spec;
        var status = hpa.Status ??= new V2HorizontalPodAutoscalerStatus();
        var now = _time.GetUtcNow();
        var reference = spec.ScaleTargetRef;
        var group = reference.ApiVersion is { } apiVersion && apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var target = ResourceRegistry.Default.FindKind(group, reference.Kind);
        if (target is null || !target.HasSubresource("scale"))
        {
            await FailAsync(hpa, "AbleToScale", "FailedGetScale", $"the HPA controller was unable to get the target's current scale: no matches for kind \"{reference.Kind}\" in group \"{group}\"", now, ct).ConfigureAwait(false);
            return;
        }

        V1Scale scale;
        try
        {
            scale = await _client.GetScaleAsync(target, hpa.Metadata.NamespaceProperty, reference.Name, ct).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            await FailAsync(hpa, "AbleToScale", "FailedGetScale", "the HPA controller was unable to get the target's current scale: " + e.Message, now, ct).ConfigureAwait(false);
            return;
        }

        SetCondition(status, "AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale", now);
        var current = scale.Spec?.Replicas ?? 0;
        var min = spec.MinReplicas ?? 1;
        int desired;
        string rescaleReason;
        if (current == 0 && min != 0)
        {
            desired = 0;
            rescaleReason = "";
            SetCondition(status, "ScalingActive", "False", "ScalingDisabled", "scaling is disabled since the replica count of the target is zero", now);
        }
        else if (current > spec.MaxReplicas)
        {
            desired = spec.MaxReplicas;
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
        }
        else if (current < min)
        {
            desired = min;
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
        }
        else
        {
            if (await ComputeReplicasAsync(hpa, scale, current, now, ct).ConfigureAwait(false) is not { } proposal)
            {
                return; // ScalingActive False says why; nothing is scaled on a metric failure
            }

            var decision = _normalizer.Normalize(key, spec, current, proposal.Replicas, now);
            SetCondition(status, "AbleToScale", "True", decision.AbleReason, decision.AbleMessage, now);
            SetCondition(status, "ScalingLimited", decision.Limited ? "True" : "False", decision.LimitReason, decision.LimitMessage, now);
            desired = decision.Replicas;
            rescaleReason = desired > current ? proposal.MetricName + " above target" : "All metrics below target";
        }

        if (desired != current)
        {
            scale.Spec ??= new V1ScaleSpec();
            scale.Spec.Replicas = desired;
            try
            {
                await _client.UpdateScaleAsync(target, scale, ct).ConfigureAwait(false);
            }
            catch (ApiException e)
            {
                SetCondition(status, "AbleToScale", "False", "FailedUpdateScale", "the HPA controller was unable to update the target scale: " + e.Message, now);
                await _events.RecordAsync(hpa, EventRecorder.Warning, "FailedRescale", $"New size: {desired}; reason: {rescaleReason}; error: {e.Message}", Component, ct).ConfigureAwait(false);
                return;
            }

            SetCondition(status, "AbleToScale", "True", "SucceededRescale", $"the HPA controller was able to update the target scale to {desired}", now);
            await _events.RecordAsync(hpa, EventRecorder.Normal, "SuccessfulRescale", $"New size: {desired}; reason: {rescaleReason}", Component, ct).ConfigureAwait(false);
            Log.Rescaled(_logger, key, current, desired, rescaleReason);
            _normalizer.Rescaled(key, spec.Behavior, current, desired, now);
            status.LastScaleTime = now.UtcDateTime;
        }

        status.CurrentReplicas = current; // setStatus: the scale's spec.replicas before this sync's rescale
        status.DesiredReplicas = desired;
        status.ObservedGeneration = hpa.Metadata.Generation;
    }

    /// <summary><c>computeReplicasForMetrics</c>: the highest proposal over the metrics; null (ScalingActive False) when none could be computed.</summary>
    private async Task<(int Replicas, string MetricName)?> ComputeReplicasAsync(V2HorizontalPodAutoscaler hpa, V1Scale scale, int current, DateTimeOffset now, CancellationToken ct)
    {
        var status = hpa.Status;
        var ns = hpa.Metadata.NamespaceProperty;
        if (string.IsNullOrEmpty(scale.Status?.Selector))
        {
            SetCondition(status, "ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector", now);
            await _events.RecordAsync(hpa, EventRecorder.Warning, "SelectorRequired", "selector is required", Component, ct).ConfigureAwait(false);
            return null;
        }

        LabelSelector selector;
        try
        {
            selector = LabelSelector.Parse(scale.Status.Selector);
        }
        catch (SelectorParseException e)
        {
            SetCondition(status, "ScalingActive", "False", "InvalidSelector", "the HPA was unable to compute the replica count: " + e.Message, now);
            return null;
        }

        var pods = _pods.Lister.List().Where(p => p.Metadata.NamespaceProperty == ns && selector.Matches(p.Metadata.Labels)).ToList();
        var metrics = hpa.Spec.Metrics ?? [];
        var statuses = new List<V2MetricStatus>();
        (int Replicas, string MetricName)? best = null;
        string? failure = null, failureReason = null;
        foreach (var metric in metrics)
        {
            var (name, container, target) = metric.Type switch
            {
                "Resource" when metric.Resource is { } r => (r.Name, (string?)null, r.Target),
                "ContainerResource" when metric.ContainerResource is { } c => (c.Name, c.Container, c.Target),
                _ => (null, null, null),
            };
            if (name is null || target is null)
            {
                failureReason = "InvalidMetricSourceType";
                failure = $"the HPA was unable to compute the replica count: unsupported metric source type \"{metric.Type}\" (Berth serves Resource and ContainerResource metrics)";
                continue;
            }

            var samples = await _metrics.GetAsync(ns, scale.Status.Selector, name, container, ct).ConfigureAwait(false);
            var calculation = target.AverageUtilization is { } utilization
                ? _calculator.Utilization(current, utilization, name, container, pods, samples, now)
                : _calculator.AverageValue(current, MilliValue(target.AverageValue), name, pods, samples, now);
            if (calculation.Error is { } error)
            {
                failureReason = "FailedGetResourceMetric";
                failure = $"the HPA was unable to compute the replica count: failed to get {name} utilization: {error}";
                await _events.RecordAsync(hpa, EventRecorder.Warning, "FailedGetResourceMetric", $"failed to get {name} utilization: {error}", Component, ct).ConfigureAwait(false);
                continue;
            }

            var value = new V2MetricValueStatus { AverageUtilization = calculation.Utilization, AverageValue = new ResourceQuantity(Quantity(calculation.AverageMilliValue)) };
            statuses.Add(container is null
                ? new V2MetricStatus { Type = "Resource", Resource = new V2ResourceMetricStatus { Name = name, Current = value } }
                : new V2MetricStatus { Type = "ContainerResource", ContainerResource = new V2ContainerResourceMetricStatus { Name = name, Container = container, Current = value } });
            var metricName = target.AverageUtilization is not null ? $"{name} resource utilization (percentage of request)" : $"{name} resource";
            if (best is null || calculation.Replicas > best.Value.Replicas)
            {
                best = (calculation.Replicas, metricName);
            }
        }

        status.CurrentMetrics = statuses.Count > 0 ? statuses : null;
        if (best is null)
        {
            SetCondition(status, "ScalingActive", "False", failureReason ?? "FailedGetResourceMetric", failure ?? "the HPA was unable to compute the replica count: no metrics", now);
            return null;
        }

        SetCondition(status, "ScalingActive", "True", "ValidMetricFound", $"the HPA was able to successfully calculate a replica count from {best.Value.MetricName}", now);
        return best;
    }

    private async Task FailAsync(V2HorizontalPodAutoscaler hpa, string type, string reason, string message, DateTimeOffset now, CancellationToken ct)
    {
        SetCondition(hpa.Status, type, "False", reason, message, now);
        await _events.RecordAsync(hpa, EventRecorder.Warning, reason, message, Component, ct).ConfigureAwait(false);
    }

    /// <summary><c>setCondition</c>: the transition time moves only when the status changes.</summary>
    private static void SetCondition(V2HorizontalPodAutoscalerStatus status, string type, string value, string reason, string message, DateTimeOffset now)
    {
        var conditions = status.Conditions ??= [];
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new V2HorizontalPodAutoscalerCondition { Type = type, Status = value, Reason = reason, Message = message, LastTransitionTime = now.UtcDateTime });
            return;
        }

        if (existing.Status != value)
        {
            existing.LastTransitionTime = now.UtcDateTime;
        }

        existing.Status = value;
        existing.Reason = reason;
        existing.Message = message;
    }

    private static long MilliValue(ResourceQuantity? quantity) => quantity is null ? 0 : (long)Math.Round(quantity.ToDecimal() * 1000);

    /// <summary><c>resource.NewMilliQuantity(v, DecimalSI)</c> rendered: whole units without a suffix, else <c>m</c>.</summary>
    private static string Quantity(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : milli.ToString(CultureInfo.InvariantCulture) + "m";
}
