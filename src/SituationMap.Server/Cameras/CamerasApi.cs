using SituationMap.Server.Infrastructure.Layers;

namespace SituationMap.Server.Cameras;

public static class CamerasApi
{
    public static RouteGroupBuilder MapCamerasApi(this IEndpointRouteBuilder app) =>
        LayerEndpoints<CameraLayer, Camera, CameraWrite, CameraProperties, CameraFilter>.Map(app, "Cameras");
}
