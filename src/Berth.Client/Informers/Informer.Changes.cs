using k8s;

namespace Berth.Client.Informers;

public sealed partial class Informer<T>
{
    /// <summary>Applies one watch event to the cache, then tells the handlers.</summary>
    private void Apply(WatchEvent<T> ev)
    {
        lock (_gate)
        {
            var cache = _cache!;
            var obj = ev.Object;
            switch (ev.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    {
                        var key = ObjectKeys.Of(obj);
                        var old = cache.Items.GetValueOrDefault(key);
                        Volatile.Write(ref _cache, cache.With(key, obj));
                        if (old is null)
                        {
                            DeliverAll(static (h, o, _) => h.OnAdd(o, false), obj, null);
                        }
                        else
                        {
                            DeliverAll(static (h, n, o) => h.OnUpdate(o!, n), obj, old);
                        }

                        break;
                    }

                case WatchEventType.Deleted:
                    {
                        var key = ObjectKeys.Of(obj);
                        if (cache.Items.ContainsKey(key))
                        {
                            Volatile.Write(ref _cache, cache.Without(key));
                            DeliverAll(static (h, o, _) => h.OnDelete(o), obj, null);
                        }

                        break;
                    }

                default:
                    break; // a bookmark only moves the resourceVersion
            }

            if (obj.Metadata?.ResourceVersion is { Length: > 0 } rv)
            {
                _resourceVersion = rv;
            }
        }
    }

    /// <summary>
    /// Makes the cache equal to a fresh list and reports the differences: new objects as adds, objects whose
    /// resourceVersion changed as updates, objects gone from the list as deletes (with their last known state).
    /// </summary>
    private void Replace(ResourceList<T> list)
    {
        lock (_gate)
        {
            var old = _cache!;
            var initial = !HasSynced;
            var items = list.Items.Select(o => KeyValuePair.Create(ObjectKeys.Of(o), o)).ToList();
            var fresh = old.Replace(items);
            Volatile.Write(ref _cache, fresh);
            _resourceVersion = list.ResourceVersion;
            var adds = 0;
            var updates = 0;
            var deletes = 0;
            foreach (var (key, obj) in fresh.Items)
            {
                if (!old.Items.TryGetValue(key, out var previous))
                {
                    adds++;
                    DeliverAll(initial ? static (h, o, _) => h.OnAdd(o, true) : static (h, o, _) => h.OnAdd(o, false), obj, null);
                }
                else if (previous.Metadata?.ResourceVersion != obj.Metadata?.ResourceVersion)
                {
                    updates++;
                    DeliverAll(static (h, n, o) => h.OnUpdate(o!, n), obj, previous);
                }
            }

            foreach (var (key, previous) in old.Items)
            {
                if (!fresh.Items.ContainsKey(key))
                {
                    deletes++;
                    DeliverAll(static (h, o, _) => h.OnDelete(o), previous, null);
                }
            }

            Log.Listed(_logger, typeof(T).Name, fresh.Items.Count, list.ResourceVersion, adds, updates, deletes);
        }
    }

    /// <summary>Delivers every cached object again as an update, so handlers can repair what they missed acting on.</summary>
    private void Resync()
    {
        lock (_gate)
        {
            if (!HasSynced || _cache is null)
            {
                return;
            }

            foreach (var obj in _cache.Items.Values)
            {
                DeliverAll(static (h, o, _) => h.OnUpdate(o, o), obj, null);
            }
        }
    }

    private void DeliverAll(Action<IInformerHandler<T>, T, T?> call, T obj, T? other)
    {
        foreach (var handler in _handlers)
        {
            Deliver(handler, call, obj, other);
        }
    }

    /// <summary>Calls one handler; its exception is logged and does not stop the others or the informer.</summary>
    private void Deliver(IInformerHandler<T> handler, Action<IInformerHandler<T>, T, T?> call, T obj, T? other)
    {
        try
        {
            call(handler, obj, other);
        }
        catch (Exception e)
        {
            Log.HandlerFailed(_logger, e, typeof(T).Name, handler.GetType().Name);
        }
    }
}
