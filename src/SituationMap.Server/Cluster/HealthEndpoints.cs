using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using SituationMap.Server.Live;

namespace SituationMap.Server.Cluster;

/// <summary>
/// /health/live: the process serves requests (a load balancer restarts it when this fails). /health/ready (and
/// /health): this node can do its job — the database answers and the change feed follows the log; 503 otherwise, so
/// the proxy and the orchestrator stop sending it work. Redis down is "Degraded" (200): live changes do not need it.
/// </summary>
public static class HealthEndpoints
{
    public const string Ready = "ready";

    public static IHealthChecksBuilder AddClusterHealthChecks(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<LiveFeedHealthCheck>("live-feed", tags: [Ready]);
        if (redis) checks.AddCheck<RedisHealthCheck>("redis", tags: [Ready]);
        return checks;
    }

    public static void MapClusterHealth(this IEndpointRouteBuilder app)
    {
        var ready = new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync };
        app.MapHealthChecks("/health", ready).AllowAnonymous();
        app.MapHealthChecks("/health/ready", ready).AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<ClusterOptions>>().Value;
        var leadership = context.RequestServices.GetRequiredService<ClusterLeadership>();
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            node = options.ResolvedNodeName,
            leader = leadership.IsLeader,
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                duration_ms = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }));
    }

    private sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await using var cmd = dataSource.CreateCommand("SELECT 1");
                await cmd.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy("PostgreSQL answers");
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer: " + e.Message);
            }
        }
    }

    private sealed class LiveFeedHealthCheck(ChangeFeed feed) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) =>
            Task.FromResult(feed.Healthy
                ? HealthCheckResult.Healthy($"change feed at seq {feed.Position}")
                : HealthCheckResult.Unhealthy("change feed is not connected to the database"));
    }

    private sealed class RedisHealthCheck(RedisConnection redis, LiveConnections connections) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct) =>
            Task.FromResult(!redis.IsConnected
                ? HealthCheckResult.Degraded($"Redis ({redis.Endpoint}) unreachable: live changes continue from the change log; cluster-wide notices wait for it")
                : connections.OffBackplane is var waiting and > 0
                    ? HealthCheckResult.Degraded($"Redis is back; {waiting} connection(s) made during the outage are joining the backplane")
                    : HealthCheckResult.Healthy($"Redis backplane connected ({redis.Endpoint})"));
    }
}
