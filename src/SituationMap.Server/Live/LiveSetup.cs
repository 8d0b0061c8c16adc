using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;
using Microsoft.Extensions.Options;
using SituationMap.Server.Cluster;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Server.Live;

public static class LiveSetup
{
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveOptions>(configuration.GetSection("Live"));
        var signalR = services.AddSignalR(o =>
        {
            o.EnableDetailedErrors = false;
            o.MaximumReceiveMessageSize = 64 * 1024;
        }).AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<ChangeLogReader>();
        services.AddSingleton<ChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
        // SignalR's own manager under ours: the Redis backplane in a cluster (Cluster:Redis), else the in-process one
        var redis = !string.IsNullOrWhiteSpace(configuration["Cluster:Redis"]);
        if (redis) signalR.AddStackExchangeRedis();
        services.AddSingleton(sp => new LiveConnections(
            redis ? ActivatorUtilities.CreateInstance<RedisHubLifetimeManager<LiveHub>>(sp) : ActivatorUtilities.CreateInstance<DefaultHubLifetimeManager<LiveHub>>(sp),
            sp.GetService<RedisConnection>(), sp.GetRequiredService<ChangeLogReader>(), sp.GetRequiredService<ChangeFeed>(),
            sp.GetRequiredService<IOptions<LiveOptions>>(), sp.GetRequiredService<ILogger<LiveConnection>>()));
        services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => sp.GetRequiredService<LiveConnections>());
        services.AddSingleton<LiveSessions>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveSessions>());
        return services;
    }

    /// <summary>/hubs/live; a connection closes when its authentication expires (the cookie session's idle timeout as of
    /// the last request that renewed it, a bearer token's expiry) — LiveSessions closes it on every other change.</summary>
    public static HubEndpointConventionBuilder MapLiveHub(this IEndpointRouteBuilder app) =>
        app.MapHub<LiveHub>("/hubs/live", o => o.CloseOnAuthenticationExpiration = true);
}
