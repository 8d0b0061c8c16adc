using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Server.Live;

public static class LiveSetup
{
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<LiveOptions>(configuration.GetSection("Live"));
        services.AddSignalR(o =>
        {
            o.EnableDetailedErrors = false;
            o.MaximumReceiveMessageSize = 64 * 1024;
        }).AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<ChangeLogReader>();
        services.AddSingleton<ChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<ChangeFeed>());
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<Microsoft.AspNetCore.SignalR.HubLifetimeManager<LiveHub>>(sp => sp.GetRequiredService<LiveConnections>());
        return services;
    }

    public static HubEndpointConventionBuilder MapLiveHub(this IEndpointRouteBuilder app) => app.MapHub<LiveHub>("/hubs/live");
}
