using System.Globalization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace SituationMap.Benchmarks;

public sealed record BenchOptions(string Which, Uri Server, string Database, string OutDirectory, TimeSpan Duration, int Concurrency, int Clients, int ChangesPerSecond, string Token)
{
    /// <summary>An HTTP client that authenticates with the benchmark account's bearer token.</summary>
    public HttpClient Http(HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = Server;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>A .NET SignalR client of the live hub (WebSockets, the benchmark account's token, the API's JSON), not started.</summary>
    public HubConnection Hub() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server, "/hubs/live"), o =>
        {
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            o.AccessTokenProvider = () => Task.FromResult<string?>(Token);
        })
        .AddJsonProtocol(o => SituationMap.Server.Infrastructure.Json.ApiJson.Configure(o.PayloadSerializerOptions))
        .Build();

    /// <summary>"all" runs every server benchmark and coverage-overlay (under a minute; it needs no server); "web" (the
    /// dashboard in a browser) and "coverage-server" need the demo-city database and run only by name.</summary>
    public bool Runs(string name) => (Which == "all" && name is not ("web" or "coverage-server" or "dispatch-server" or "ogc-paging")) || Which == name;

    public static BenchOptions Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, "--" + name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : Environment.GetEnvironmentVariable("BENCH_" + name.ToUpperInvariant().Replace('-', '_')) ?? fallback;
        }
        var which = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
        return new BenchOptions(
            which,
            new Uri(Get("server", "http://127.0.0.1:5090")),
            // (the fallback is evaluated before --db is looked at: it must not throw by itself)
            Get("db", Environment.GetEnvironmentVariable("SITUATIONMAP_DB") ?? "") is { Length: > 0 } db ? db : throw new ArgumentException("--db or SITUATIONMAP_DB is required"),
            Get("out", "artifacts/bench"),
            TimeSpan.FromSeconds(double.Parse(Get("seconds", "20"), CultureInfo.InvariantCulture)),
            int.Parse(Get("concurrency", "8"), CultureInfo.InvariantCulture),
            int.Parse(Get("clients", "200"), CultureInfo.InvariantCulture),
            int.Parse(Get("rate", "100"), CultureInfo.InvariantCulture),
            Get("token", "") is { Length: > 0 } token ? token
                : which == "coverage-overlay" ? "" // in process and PostgreSQL only, no server
                : throw new ArgumentException("--token or BENCH_TOKEN is required (scripts/bench.sh creates one)"));
    }
}

/// <summary>One measured figure: what, the value, its unit, the goal when there is one, and how it was measured.</summary>
public sealed record BenchResult(string Benchmark, string Metric, double Value, string Unit, string? Goal, string Notes);

public static class Percentiles
{
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = p / 100 * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
