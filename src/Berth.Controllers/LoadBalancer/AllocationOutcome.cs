namespace Berth.Controllers.LoadBalancer;

internal enum AllocationOutcome
{
    /// <summary>The Service holds <see cref="AllocationResult.Address"/> (newly or already).</summary>
    Allocated,

    /// <summary>The requested address is not a usable address of the pool.</summary>
    NotInPool,

    /// <summary>The requested address belongs to another Service (<see cref="AllocationResult.Holder"/>).</summary>
    InUse,

    /// <summary>Every usable address of the pool is taken.</summary>
    Exhausted,
}
