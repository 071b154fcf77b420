namespace Berth.ApiServer.Allocation;

/// <summary>
/// What a write has allocated (undone by <see cref="Rollback"/> when the write fails) and what it frees once it
/// has committed (<see cref="Commit"/>): releases happen only after the store has the new state.
/// </summary>
internal sealed class AllocationTransaction
{
    public static readonly AllocationTransaction None = new();

    private readonly List<Action> _undo = [];
    private readonly List<Action> _afterCommit = [];

    public void OnRollback(Action undo) => _undo.Add(undo);

    public void OnCommit(Action release) => _afterCommit.Add(release);

    public void Commit()
    {
        foreach (var a in _afterCommit)
        {
            a();
        }

        _undo.Clear();
        _afterCommit.Clear();
    }

    public void Rollback()
    {
        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i]();
        }

        _undo.Clear();
        _afterCommit.Clear();
    }
}
