namespace Berth.ApiServer.Allocation;

public enum AllocationOutcome
{
    Allocated,
    AlreadyAllocated,
    OutOfRange,
    RangeFull,
}
