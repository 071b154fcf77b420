namespace Berth.Proxy.Userspace.Engine;

/// <summary>Something registered with an <see cref="EventLoop"/>: told about readiness on one of its descriptors, on the loop's thread.</summary>
internal interface IEventHandler
{
    /// <param name="loop">The loop calling.</param>
    /// <param name="slot">The registration the events are for (a handler may register several descriptors).</param>
    /// <param name="events">epoll's event bits.</param>
    void OnEvents(EventLoop loop, int slot, uint events);
}
