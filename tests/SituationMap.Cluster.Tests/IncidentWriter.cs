using System.Diagnostics;
using System.Globalization;
using System.Net;
using SituationMap.Testing;
using static SituationMap.Testing.Api;

namespace SituationMap.Cluster.Tests;

/// <summary>
/// Keeps creating incidents (at random places in the two districts) through one or more HTTP clients until stopped,
/// recording every answer. Only 2xx answers count as accepted; anything else is recorded and the writer goes on with
/// the next write (after Retry-After when given, capped).
/// </summary>
public sealed class IncidentWriter(IReadOnlyList<HttpClient> clients, TimeSpan pause, int seed = 1)
{
    private readonly Random _random = new(seed);
    private readonly List<WriteResult> _results = [];

    public IReadOnlyList<WriteResult> Results
    {
        get { lock (_results) return _results.ToList(); }
    }

    public IReadOnlyList<WriteResult> Accepted => Results.Where(r => r.Status is >= 200 and < 300).ToList();

    public (double Lon, double Lat) RandomPlace()
    {
        var lon = (_random.Next(2) == 0 ? ClusterFixture.West : ClusterFixture.East) + (_random.NextDouble() - 0.5) * 1.6 * ClusterFixture.Half;
        var lat = ClusterFixture.Lat + (_random.NextDouble() - 0.5) * 1.6 * ClusterFixture.Half;
        return (lon, lat);
    }

    /// <summary>Writes until the token is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            var client = clients[n++ % clients.Count];
            var result = await WriteOnceAsync(client);
            var delay = pause;
            if (result.RetryAfter is { } after) delay = TimeSpan.FromMilliseconds(Math.Min(after.TotalMilliseconds, 500));
            try
            {
                await Task.Delay(delay, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async Task<WriteResult> WriteOnceAsync(HttpClient client)
    {
        var (lon, lat) = RandomPlace();
        var started = Stopwatch.GetTimestamp();
        WriteResult result;
        try
        {
            using var response = await client.PostAsync("/api/incidents", Body(Incident(lon, lat)));
            var body = await response.Content.ReadAsStringAsync();
            long? seq = response.Headers.TryGetValues("X-Change-Seq", out var s) ? long.Parse(s.Single(), CultureInfo.InvariantCulture) : null;
            long? id = null;
            if (response.IsSuccessStatusCode) id = (await response.JsonAsync()).Id();
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var node = response.Headers.TryGetValues("X-SituationMap-Node", out var nodes) ? nodes.FirstOrDefault() : null;
            result = new WriteResult(DateTime.UtcNow, (int)response.StatusCode, seq, id, response.Headers.RetryAfter is not null ? retryAfter ?? TimeSpan.Zero : null,
                node, response.Content.Headers.ContentType?.MediaType, body.Length > 300 ? body[..300] : body, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            result = new WriteResult(DateTime.UtcNow, 0, null, null, null, null, null, e.GetType().Name + ": " + e.Message, Stopwatch.GetElapsedTime(started));
        }
        lock (_results) _results.Add(result);
        return result;
    }

    /// <summary>Waits until at least count writes answered after the given time were accepted (false after the timeout):
    /// the tests count writes instead of trusting durations, since a loaded machine may write slowly.</summary>
    public async Task<bool> WaitAcceptedAsync(int count, DateTime after, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Results.Count(r => r.Ok && r.At > after) < count)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(50);
        }
        return true;
    }

    public string Summary() =>
        string.Join(", ", Results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))}: {g.Count()}"));
}

/// <summary>One write's answer: status (0 = no answer), X-Change-Seq, the feature id, Retry-After, the node that answered.</summary>
public sealed record WriteResult(DateTime At, int Status, long? Seq, long? Id, TimeSpan? RetryAfter, string? Node, string? MediaType, string Body, TimeSpan Took)
{
    public bool Ok => Status is >= 200 and < 300;

    public override string ToString() => $"{At:HH:mm:ss.fff} {Status} seq {Seq} id {Id} node {Node} retry-after {RetryAfter} ({Took.TotalMilliseconds:F0} ms) {Body}";
}
