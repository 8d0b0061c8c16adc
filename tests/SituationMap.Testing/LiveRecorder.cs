using System.Reflection;
using Microsoft.AspNetCore.SignalR.Client;
using SituationMap.Server.Live;

namespace SituationMap.Testing;

/// <summary>Records everything a real hub connection receives, by event name, in arrival order.</summary>
public sealed class LiveRecorder
{
    private readonly List<(string Name, LiveChange Change)> _events = [];
    private readonly List<ResyncNotice> _resyncs = [];
    private readonly SemaphoreSlim _signal = new(0);

    public LiveRecorder(HubConnection connection, Func<Task>? beforeEach = null)
    {
        foreach (var method in typeof(ILiveClient).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = method.Name;
            if (name == nameof(ILiveClient.ResyncRequired))
            {
                connection.On<ResyncNotice>(name, async n =>
                {
                    if (beforeEach is not null) await beforeEach();
                    lock (_events) _resyncs.Add(n);
                    _signal.Release();
                });
            }
            else
            {
                connection.On<LiveChange>(name, async c =>
                {
                    if (beforeEach is not null) await beforeEach();
                    lock (_events) _events.Add((name, c));
                    _signal.Release();
                });
            }
        }
    }

    public IReadOnlyList<(string Name, LiveChange Change)> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public IReadOnlyList<ResyncNotice> Resyncs
    {
        get { lock (_events) return _resyncs.ToList(); }
    }

    public long LastSeq => Events.Count == 0 ? 0 : Events[^1].Change.Seq;

    /// <summary>Waits until the condition holds (checked after every arrival), failing after the timeout.</summary>
    public async Task WaitUntilAsync(Func<LiveRecorder, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition(this))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Timed out waiting for {what}; received {Events.Count} events: {string.Join(", ", Events.TakeLast(10).Select(e => $"{e.Change.Seq}:{e.Name}"))}");
            await _signal.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Gives a little time for unexpected events to arrive, then returns what did.</summary>
    public async Task<IReadOnlyList<(string Name, LiveChange Change)>> QuietAsync(int afterCount, TimeSpan? wait = null)
    {
        await Task.Delay(wait ?? TimeSpan.FromMilliseconds(1500));
        return Events.Skip(afterCount).ToList();
    }
}
