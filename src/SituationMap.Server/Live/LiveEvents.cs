using System.Collections.Frozen;
using System.Text.Json;
using SituationMap.Server.Cameras;
using SituationMap.Server.Districts;
using SituationMap.Server.Incidents;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Patrols;
using SituationMap.Server.Zones;

namespace SituationMap.Server.Live;

/// <summary>
/// The live layers and their events: how a change-log row image becomes the same Feature the REST API serves, and
/// which ILiveClient method carries each (layer, kind).
/// </summary>
public static class LiveEvents
{
    /// <summary>Row images are the table's columns as JSON: snake_case keys, geometries as GeoJSON; unknown columns are skipped.</summary>
    private static readonly JsonSerializerOptions RowJson = ApiJson.ReadOnlyCopy(o => o.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip);

    private static readonly FrozenDictionary<string, Func<JsonElement, object>> RowToFeature = new Dictionary<string, Func<JsonElement, object>>
    {
        [IncidentLayer.Name] = Map<IncidentLayer, Incident, IncidentWrite, IncidentProperties>,
        [CameraLayer.Name] = Map<CameraLayer, Camera, CameraWrite, CameraProperties>,
        [PatrolRouteLayer.Name] = Map<PatrolRouteLayer, PatrolRoute, PatrolRouteWrite, PatrolRouteProperties>,
        [PatrolUnitLayer.Name] = Map<PatrolUnitLayer, PatrolUnit, PatrolUnitWrite, PatrolUnitProperties>,
        [ZoneLayer.Name] = Map<ZoneLayer, Zone, ZoneWrite, ZoneProperties>,
        [DistrictLayer.Name] = Map<DistrictLayer, District, DistrictWrite, DistrictProperties>,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<(string Layer, string Kind), Func<ILiveClient, LiveChange, Task>> Methods =
        new Dictionary<(string, string), Func<ILiveClient, LiveChange, Task>>
        {
            [(IncidentLayer.Name, "created")] = (c, e) => c.IncidentCreated(e),
            [(IncidentLayer.Name, "updated")] = (c, e) => c.IncidentUpdated(e),
            [(IncidentLayer.Name, "deleted")] = (c, e) => c.IncidentDeleted(e),
            [(CameraLayer.Name, "created")] = (c, e) => c.CameraCreated(e),
            [(CameraLayer.Name, "updated")] = (c, e) => c.CameraUpdated(e),
            [(CameraLayer.Name, "status_changed")] = (c, e) => c.CameraStatusChanged(e),
            [(CameraLayer.Name, "deleted")] = (c, e) => c.CameraDeleted(e),
            [(PatrolRouteLayer.Name, "created")] = (c, e) => c.PatrolRouteCreated(e),
            [(PatrolRouteLayer.Name, "updated")] = (c, e) => c.PatrolRouteUpdated(e),
            [(PatrolRouteLayer.Name, "deleted")] = (c, e) => c.PatrolRouteDeleted(e),
            [(PatrolUnitLayer.Name, "created")] = (c, e) => c.PatrolUnitCreated(e),
            [(PatrolUnitLayer.Name, "updated")] = (c, e) => c.PatrolUnitUpdated(e),
            [(PatrolUnitLayer.Name, "moved")] = (c, e) => c.UnitMoved(e),
            [(PatrolUnitLayer.Name, "deleted")] = (c, e) => c.PatrolUnitDeleted(e),
            [(ZoneLayer.Name, "created")] = (c, e) => c.ZoneCreated(e),
            [(ZoneLayer.Name, "updated")] = (c, e) => c.ZoneUpdated(e),
            [(ZoneLayer.Name, "deleted")] = (c, e) => c.ZoneDeleted(e),
            [(DistrictLayer.Name, "created")] = (c, e) => c.DistrictCreated(e),
            [(DistrictLayer.Name, "updated")] = (c, e) => c.DistrictUpdated(e),
            [(DistrictLayer.Name, "deleted")] = (c, e) => c.DistrictDeleted(e),
        }.ToFrozenDictionary();

    public static IReadOnlyCollection<string> Layers => RowToFeature.Keys;

    public static bool IsLayer(string name) => RowToFeature.ContainsKey(name);

    /// <summary>The GeoJSON Feature of a row image, serialised once.</summary>
    public static JsonElement? FeatureOf(string layer, string? rowJson)
    {
        if (rowJson is null || !RowToFeature.TryGetValue(layer, out var map)) return null;
        using var row = JsonDocument.Parse(rowJson);
        return JsonSerializer.SerializeToElement(map(row.RootElement), ApiJson.Options);
    }

    public static Task SendAsync(ILiveClient client, LiveChange change) =>
        change.Kind == "reloaded" ? client.LayerReloaded(change)
        : Methods.TryGetValue((change.Layer, change.Kind), out var send) ? send(client, change)
        : throw new InvalidOperationException($"No live event for {change.Layer}/{change.Kind}.");

    private static object Map<TLayer, TEntity, TWrite, TProps>(JsonElement row)
        where TLayer : IFeatureLayer<TEntity, TWrite, TProps>
        where TEntity : class, ILayerEntity, new()
        where TWrite : class =>
        LayerFeatures.ToFeature<TLayer, TEntity, TWrite, TProps>(row.Deserialize<TEntity>(RowJson)!);
}
