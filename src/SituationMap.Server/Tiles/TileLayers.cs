using System.Collections.Frozen;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Tiles;

/// <summary>One tile layer: its URL name, its SQL (read once at start-up), the MVT layers it contains and their fields.</summary>
public sealed record TileLayer(string Name, string Sql, int MinZoom, int MaxZoom, IReadOnlyList<VectorLayerInfo> VectorLayers);

public sealed record VectorLayerInfo(string Id, IReadOnlyDictionary<string, string> Fields, string Description);

/// <summary>
/// The fixed table of tile layers. URL segments are looked up here and never interpolated into SQL; every query takes
/// the same typed parameters ($1 z, $2 x, $3 y, $4 from, $5 to, $6 categories).
/// </summary>
public static class TileLayers
{
    public static readonly FrozenDictionary<string, TileLayer> All = new TileLayer[]
    {
        new("incidents", SqlResource.Read("Tiles/incidents.sql"), 0, 22, [
            new("incidents", Fields(("category", "String"), ("severity", "Number"), ("status", "String"), ("occurred_at", "Number"), ("point_count", "Number")),
                "Incidents; below z14 clustered on a 64-px grid (point_count > 1, top_category, max severity)."),
        ]),
        new("cameras", SqlResource.Read("Tiles/cameras.sql"), 0, 22, [
            new("cameras", Fields(("name", "String"), ("kind", "String"), ("status", "String"), ("heading_deg", "Number"), ("field_of_view_deg", "Number"), ("range_m", "Number")), "Camera positions."),
            new("camera_views", Fields(("kind", "String"), ("status", "String")), "Field-of-view sectors minus privacy masks (z >= 14)."),
        ]),
        new("patrol_routes", SqlResource.Read("Tiles/patrol_routes.sql"), 0, 22, [
            new("patrol_routes", Fields(("name", "String"), ("level", "Number"), ("mode", "String"), ("status", "String"), ("district", "String")), "Patrol routes, level 1 city, 2 district, 3 community."),
        ]),
        new("patrol_units", SqlResource.Read("Tiles/patrol_units.sql"), 0, 22, [
            new("patrol_units", Fields(("call_sign", "String"), ("level", "Number"), ("mode", "String"), ("status", "String"), ("heading_deg", "Number"), ("speed_mps", "Number"), ("last_seen", "Number")), "Patrol units at their last reported position."),
        ]),
        new("zones", SqlResource.Read("Tiles/zones.sql"), 0, 22, [
            new("zones", Fields(("name", "String"), ("name_en", "String"), ("kind", "String"), ("risk_level", "Number"), ("coverage_target", "Number"), ("district", "String")), "High-risk and coverage zones."),
        ]),
        new("districts", SqlResource.Read("Tiles/districts.sql"), 0, 22, [
            new("districts", Fields(("code", "String"), ("name", "String"), ("name_en", "String")), "Administrative districts."),
            new("district_labels", Fields(("code", "String"), ("name", "String"), ("name_en", "String")), "One label point per district."),
        ]),
        new("roads", SqlResource.Read("Tiles/roads.sql"), 0, 22, [
            new("roads", Fields(("name", "String"), ("name_en", "String"), ("class", "String"), ("oneway", "Boolean")), "Road network (basemap)."),
        ]),
        new("buildings", SqlResource.Read("Tiles/buildings.sql"), 14, 22, [
            new("buildings", Fields(("kind", "String"), ("levels", "Number"), ("height_m", "Number")), "Building footprints (basemap, z >= 14)."),
        ]),
    }.ToFrozenDictionary(l => l.Name, StringComparer.Ordinal);

    private static Dictionary<string, string> Fields(params (string Name, string Type)[] fields) => fields.ToDictionary(f => f.Name, f => f.Type);
}
