namespace Berth.Storage;

public enum StoreOutcome
{
    Ok,
    AlreadyExists,
    NotFound,
    Conflict,
    Expired,
}
