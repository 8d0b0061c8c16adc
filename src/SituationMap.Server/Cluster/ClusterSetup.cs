using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using OpenTelemetry.Metrics;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Cluster;

/// <summary>
/// Everything that lets several server processes run as one deployment behind a proxy: a node name on every response,
/// shared Data Protection keys (a session cookie or anti-forgery token issued by one node is valid on every other: the
/// key ring lives in PostgreSQL), leader election for once-per-cluster work, SignalR's Redis backplane when configured,
/// health endpoints for the proxy and OpenTelemetry metrics in Prometheus format at /metrics.
/// </summary>
public static class ClusterSetup
{
    public const string NodeHeader = "X-SituationMap-Node";

    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection("Cluster");
        services.Configure<ClusterOptions>(section);
        var redis = section["Redis"];
        services.AddSingleton<ClusterLeadership>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterLeadership>());
        if (!string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton(sp => new RedisConnection(redis, sp.GetRequiredService<ILogger<RedisConnection>>()));
            services.AddOptions<RedisOptions>().Configure<RedisConnection>((o, connection) => o.ConnectionFactory = log => connection.GetAsync(log));
        }
        services.AddDataProtection().SetApplicationName("SituationMap").PersistKeysToDbContext<SituationMapDb>();
        services.AddClusterHealthChecks(redis is not null);
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
                "Microsoft.AspNetCore.RateLimiting", "Npgsql", Live.LiveMetrics.Meter.Name, ClusterMetrics.Meter.Name)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>First in the pipeline: every response names the node that produced it.</summary>
    public static WebApplication UseClusterNodeHeader(this WebApplication app)
    {
        var node = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ClusterOptions>>().Value.ResolvedNodeName;
        app.Use((context, next) =>
        {
            context.Response.Headers[NodeHeader] = node;
            return next(context);
        });
        return app;
    }

    /// <summary>Health for the proxy (anonymous) and metrics for Prometheus (an admin's bearer token).</summary>
    public static void MapClusterEndpoints(this WebApplication app)
    {
        app.MapClusterHealth();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Accounts.Permissions.Admin);
    }
}
