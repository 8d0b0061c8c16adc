using System.Collections.Concurrent;

namespace SituationMap.Cluster.Tests;

/// <summary>Polls /health/ready of every node in the background, recording each answer (status 0 = no answer).</summary>
public sealed class HealthProbe : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly ConcurrentQueue<HealthAnswer> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;

    public HealthProbe(IEnumerable<ServerNode> nodes, TimeSpan interval)
    {
        var list = nodes.ToList();
        _polling = Task.WhenAll(list.Select(n => PollAsync(n, interval)));
    }

    public IReadOnlyList<HealthAnswer> Answers => _answers.ToList();

    public static async Task<HealthAnswer> ReadyAsync(ServerNode node)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(node.BaseAddress, "/health/ready"));
            return new HealthAnswer(DateTime.UtcNow, node.Name, (int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return new HealthAnswer(DateTime.UtcNow, node.Name, 0, e.Message);
        }
    }

    /// <summary>Polls until the node's /health/ready answers 200, or the timeout passes (then returns the last answer).</summary>
    public static async Task<HealthAnswer> WaitReadyAsync(ServerNode node, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var answer = await ReadyAsync(node);
            if (answer.Status == 200 || DateTime.UtcNow > deadline) return answer;
            await Task.Delay(250);
        }
    }

    private async Task PollAsync(ServerNode node, TimeSpan interval)
    {
        while (!_stop.IsCancellationRequested)
        {
            _answers.Enqueue(await ReadyAsync(node));
            try
            {
                await Task.Delay(interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
    }
}

public sealed record HealthAnswer(DateTime At, string Node, int Status, string Body)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {Node} {Status} {(Body.Length > 200 ? Body[..200] : Body)}";
}
