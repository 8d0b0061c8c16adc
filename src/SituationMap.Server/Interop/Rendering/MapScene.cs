using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>One drawn feature in Web Mercator metres (EPSG:3857): its layer, a kind and a status that choose its style.</summary>
public sealed record MapFeature(string Layer, string Kind, string? Status, string? Name, string? NameEn, double? Heading, Geometry Geometry, Point? Label);

/// <summary>Incidents of one grid cell (Web Mercator metres): how many, the highest severity, the most frequent category.</summary>
public sealed record IncidentCell(double X, double Y, int Count, int Severity, string? Category, int Open);

/// <summary>Everything one map rendering draws, read from the database for one view and one account's scope.</summary>
public sealed record MapScene(MapView View, UserScope Scope, IReadOnlyList<MapFeature> Basemap, IReadOnlyList<MapFeature> Operational,
    IReadOnlyList<IncidentCell> Incidents, DateTimeOffset GeneratedAt)
{
    public int IncidentCount => Incidents.Sum(c => c.Count);

    /// <summary>The cells' categories, by the incidents of the cells they colour, most first (for the legend).</summary>
    public IReadOnlyList<(string Category, int Count)> CategoriesDrawn => Incidents.Where(c => c.Category is not null)
        .GroupBy(c => c.Category!).Select(g => (g.Key, g.Sum(c => c.Count))).OrderByDescending(g => g.Item2).ToList();
}

/// <summary>
/// Reads a <see cref="MapScene"/>: three queries (Interop/Rendering/map_basemap.sql, map_operational.sql,
/// map_incidents.sql) on their own connections in parallel, each selecting by the view's envelope through the GiST
/// indexes and simplifying to the pixel size in PostGIS, so the work is proportional to what is visible, not to the
/// tables' sizes. Incidents are aggregated on a 4-pixel grid, so at most (width/4 × height/4) dots come back.
/// </summary>
public sealed class MapSceneReader(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const int IncidentCellPixels = 4;

    private static readonly string BasemapSql = SqlResource.Read("Interop/Rendering/map_basemap.sql");
    private static readonly string OperationalSql = SqlResource.Read("Interop/Rendering/map_operational.sql");
    private static readonly string IncidentsSql = SqlResource.Read("Interop/Rendering/map_incidents.sql");

    public async Task<MapScene> ReadAsync(MapView view, UserScope scope, CancellationToken ct)
    {
        var basemap = ReadFeaturesAsync(BasemapSql, view, scope, null, ct);
        var operational = ReadFeaturesAsync(OperationalSql, view, scope, OperationalLayers(view.Layers), ct);
        var incidents = view.Layers.HasFlag(MapLayers.Incidents) ? ReadIncidentsAsync(view, scope, ct) : Task.FromResult(new List<IncidentCell>());
        await Task.WhenAll(basemap, operational, incidents);
        return new MapScene(view, scope, await basemap, await operational, await incidents, clock.GetUtcNow());
    }

    private static string[] OperationalLayers(MapLayers layers)
    {
        var names = new List<string>();
        if (layers.HasFlag(MapLayers.Zones)) names.Add("zone");
        if (layers.HasFlag(MapLayers.Routes)) names.Add("route");
        if (layers.HasFlag(MapLayers.CameraViews)) names.Add("camera_view");
        if (layers.HasFlag(MapLayers.Cameras)) names.Add("camera");
        if (layers.HasFlag(MapLayers.Units)) names.Add("unit");
        return names.ToArray();
    }

    private async Task<List<MapFeature>> ReadFeaturesAsync(string sql, MapView view, UserScope scope, string[]? layers, CancellationToken ct)
    {
        var features = new List<MapFeature>();
        if (layers is { Length: 0 }) return features;
        await using var cmd = Command(sql, view, scope);
        if (layers is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = layers, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var wkb = new WKBReader();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var operational = layers is not null;
        while (await r.ReadAsync(ct))
        {
            if (r.IsDBNull(5) && operational) continue;
            if (operational)
            {
                features.Add(new MapFeature(r.GetString(0), r.GetString(1), Text(r, 2), Text(r, 3), null,
                    r.IsDBNull(4) ? null : r.GetDouble(4), wkb.Read(r.GetFieldValue<byte[]>(5)), null));
            }
            else if (!r.IsDBNull(4))
            {
                features.Add(new MapFeature(r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1), null, Text(r, 2), Text(r, 3), null,
                    wkb.Read(r.GetFieldValue<byte[]>(4)), r.IsDBNull(5) ? null : (Point)wkb.Read(r.GetFieldValue<byte[]>(5))));
            }
        }
        return features;
    }

    private async Task<List<IncidentCell>> ReadIncidentsAsync(MapView view, UserScope scope, CancellationToken ct)
    {
        await using var cmd = Command(IncidentsSql, view, scope);
        cmd.Parameters[4].Value = view.MetresPerPixel * IncidentCellPixels;
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = view.From.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = view.To.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)view.Categories?.Select(c => WireNames.Of(c)).ToArray() ?? DBNull.Value,
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text,
        });
        var cells = new List<IncidentCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            cells.Add(new IncidentCell(r.GetDouble(0), r.GetDouble(1), r.GetInt32(2), r.GetInt32(3), Text(r, 4), r.GetInt32(5)));
        return cells;
    }

    /// <summary>A command with the parameters every rendering query shares: $1..$4 the shown box, $5 metres per pixel, $6 the scope.</summary>
    private NpgsqlCommand Command(string sql, MapView view, UserScope scope)
    {
        var cmd = dataSource.CreateCommand(sql);
        var shown = view.Shown;
        foreach (var v in new[] { shown.MinX, shown.MinY, shown.MaxX, shown.MaxY, view.MetresPerPixel })
            cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = v, NpgsqlDbType = NpgsqlDbType.Double });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return cmd;
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
