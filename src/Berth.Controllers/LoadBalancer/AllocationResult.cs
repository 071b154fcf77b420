namespace Berth.Controllers.LoadBalancer;

/// <summary>What <see cref="LoadBalancerIPAllocator.Allocate"/> did: an outcome, the address, and who holds a requested one.</summary>
internal readonly record struct AllocationResult(AllocationOutcome Outcome, string? Address = null, string? Holder = null)
{
    public static AllocationResult Allocated(string address) => new(AllocationOutcome.Allocated, address);
}
