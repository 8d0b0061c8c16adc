using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Zones;

public static class ZonesApi
{
    public static RouteGroupBuilder MapZonesApi(this IEndpointRouteBuilder app) =>
        LayerEndpoints<ZoneLayer, Zone, ZoneWrite, ZoneProperties, ZoneFilter>.Map(app, "Zones");
}
