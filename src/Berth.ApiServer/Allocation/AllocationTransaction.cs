namespace Berth.ApiServer.Allocation;

/// <summary>
/// What a write has allocated (undone by <see cref="Rollback"/> when the write fails) and what it frees once it
/// has committed (<see cref="Commit"/>): releases happen only after the store has the new state.
/// </summary>
internal sealed class AllocationTransaction
{
    /// <summary>
    /// Shared by every write that allocates nothing, on any thread at once: it takes no actions and its
    /// <see cref="Commit"/>/<see cref="Rollback"/> touch nothing (clearing its lists from concurrent writes made a
    /// concurrent enumeration throw "Collection was modified" — seen as a 500 on pod creates under load).
    /// </summary>
    public static readonly AllocationTransaction None = new(frozen: true);

    private readonly List<Action> _undo = [];
    private readonly List<Action> _afterCommit = [];
    private readonly bool _frozen;

    public AllocationTransaction()
    {
    }

    private AllocationTransaction(bool frozen) => _frozen = frozen;

    public void OnRollback(Action undo)
    {
        ThrowIfFrozen();
        _undo.Add(undo);
    }

    public void OnCommit(Action release)
    {
        ThrowIfFrozen();
        _afterCommit.Add(release);
    }

    public void Commit()
    {
        if (_frozen)
        {
            return;
        }

        foreach (var a in _afterCommit)
        {
            a();
        }

        _undo.Clear();
        _afterCommit.Clear();
    }

    public void Rollback()
    {
        if (_frozen)
        {
            return;
        }

        for (var i = _undo.Count - 1; i >= 0; i--)
        {
            _undo[i]();
        }

        _undo.Clear();
        _afterCommit.Clear();
    }

    private void ThrowIfFrozen()
    {
        if (_frozen)
        {
            throw new InvalidOperationException("AllocationTransaction.None records nothing");
        }
    }
}
