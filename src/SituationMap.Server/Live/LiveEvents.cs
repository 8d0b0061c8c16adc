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
/// which ILiveClient method carries each (layer, kind). Messages are
/// sent pre-serialised (one SerializedHubMessage per change), so ILiveClient documents the wire contract.
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

    /// <summary>(layer, kind) → the ILiveClient method that carries it.</summary>
    private static readonly FrozenDictionary<(string Layer, string Kind), string> Methods =
        new Dictionary<(string, string), string>
        {
            [(IncidentLayer.Name, "created")] = nameof(ILiveClient.IncidentCreated),
            [(IncidentLayer.Name, "updated")] = nameof(ILiveClient.IncidentUpdated),
            [(IncidentLayer.Name, "deleted")] = nameof(ILiveClient.IncidentDeleted),
            [(CameraLayer.Name, "created")] = nameof(ILiveClient.CameraCreated),
            [(CameraLayer.Name, "updated")] = nameof(ILiveClient.CameraUpdated),
            [(CameraLayer.Name, "status_changed")] = nameof(ILiveClient.CameraStatusChanged),
            [(CameraLayer.Name, "deleted")] = nameof(ILiveClient.CameraDeleted),
            [(PatrolRouteLayer.Name, "created")] = nameof(ILiveClient.PatrolRouteCreated),
            [(PatrolRouteLayer.Name, "updated")] = nameof(ILiveClient.PatrolRouteUpdated),
            [(PatrolRouteLayer.Name, "deleted")] = nameof(ILiveClient.PatrolRouteDeleted),
            [(PatrolUnitLayer.Name, "created")] = nameof(ILiveClient.PatrolUnitCreated),
            [(PatrolUnitLayer.Name, "updated")] = nameof(ILiveClient.PatrolUnitUpdated),
            [(PatrolUnitLayer.Name, "moved")] = nameof(ILiveClient.UnitMoved),
            [(PatrolUnitLayer.Name, "deleted")] = nameof(ILiveClient.PatrolUnitDeleted),
            [(ZoneLayer.Name, "created")] = nameof(ILiveClient.ZoneCreated),
            [(ZoneLayer.Name, "updated")] = nameof(ILiveClient.ZoneUpdated),
            [(ZoneLayer.Name, "deleted")] = nameof(ILiveClient.ZoneDeleted),
            [(DistrictLayer.Name, "created")] = nameof(ILiveClient.DistrictCreated),
            [(DistrictLayer.Name, "updated")] = nameof(ILiveClient.DistrictUpdated),
            [(DistrictLayer.Name, "deleted")] = nameof(ILiveClient.DistrictDeleted),
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

    /// <summary>The ILiveClient method name for a change ("IncidentCreated", "UnitMoved", "LayerReloaded").</summary>
    public static string MethodFor(LiveChange change) =>
        change.Kind == "reloaded" ? nameof(ILiveClient.LayerReloaded)
        : Methods.TryGetValue((change.Layer, change.Kind), out var method) ? method
        : throw new InvalidOperationException($"No live event for {change.Layer}/{change.Kind}.");

    private static object Map<TLayer, TEntity, TWrite, TProps>(JsonElement row)
        where TLayer : IFeatureLayer<TEntity, TWrite, TProps>
        where TEntity : class, ILayerEntity, new()
        where TWrite : class =>
        LayerFeatures.ToFeature<TLayer, TEntity, TWrite, TProps>(row.Deserialize<TEntity>(RowJson)!);
}
