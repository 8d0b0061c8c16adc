using System.Diagnostics;
using System.Text.Json;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.DemoCity;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Server.Infrastructure.Commands;

/// <summary>
/// Loads the synthetic demo city with binary COPY in one transaction. Per-row change logging is switched off
/// (situationmap.bulk_load) and one 'reloaded' event per layer is logged instead, so connected maps reload.
/// Incidents span the 365 days before the moment of loading, so the dashboard always shows recent activity; each
/// unit gets the last 24 hours of its track.
/// </summary>
public sealed class DemoDataLoader(NpgsqlDataSource dataSource, ILogger<DemoDataLoader> logger)
{
    /// <summary>How much AVL history the demo units get (one point a minute), for playback.</summary>
    public static readonly TimeSpan TrackHistory = TimeSpan.FromHours(24);

    /// <summary>The buildings' source (buildings.source), so that imports of real footprints can sit beside them.</summary>
    public const string BuildingSource = "demo-city";

    private static readonly string[] Tables = ["incidents", "unit_positions", "patrol_units", "patrol_routes", "camera_status_history", "cameras", "zones", "buildings", "roads", "districts"];

    public async Task LoadAsync(int incidentCount, bool ifEmpty, bool reset, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (ifEmpty && !reset && await ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM districts) OR EXISTS (SELECT 1 FROM incidents)", ct))
        {
            logger.LogInformation("Data is present; the demo city is not loaded again (use seed --reset to replace it).");
            return;
        }
        var clock = Stopwatch.StartNew();
        var options = new DemoCityOptions
        {
            IncidentCount = incidentCount,
            YearEnd = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60),
        };
        var layers = DemoCityGenerator.GenerateLayers(options);

        await using var tx = await connection.BeginTransactionAsync(ct);
        using (Audit.AuditActor.Job("seed"))
            await Audit.AuditContext.ApplyAsync(connection, tx, Audit.AuditActor.Current(null), ct: ct);
        await ExecuteAsync(connection, "SET LOCAL situationmap.bulk_load = 'on'", ct);
        if (reset) await ExecuteAsync(connection, $"TRUNCATE {string.Join(", ", Tables)} RESTART IDENTITY CASCADE", ct);

        await CopyAsync(connection, "districts (code, name, name_en, geom)", layers.Districts, async (w, d) =>
        {
            await w.WriteAsync(d.Code, NpgsqlDbType.Text, ct);
            await w.WriteAsync(d.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(d.NameEn, NpgsqlDbType.Text, ct);
            await w.WriteAsync(d.Area, "geometry", ct);
        }, ct);
        await CopyAsync(connection, "roads (name, name_en, class, one_way, max_speed_kmh, geom)", layers.Roads, async (w, r) =>
        {
            await w.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(r.NameEn, NpgsqlDbType.Text, ct);
            await w.WriteAsync(r.Class, NpgsqlDbType.Text, ct);
            await w.WriteAsync(r.OneWay, NpgsqlDbType.Boolean, ct);
            await w.WriteAsync(r.MaxSpeedKmh, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(r.Geometry, "geometry", ct);
        }, ct);
        await CopyAsync(connection, "buildings (ref, source, kind, levels, height_m, district, geom)", layers.Buildings, async (w, b) =>
        {
            await w.WriteAsync(b.Id, NpgsqlDbType.Text, ct);
            await w.WriteAsync(BuildingSource, NpgsqlDbType.Text, ct);
            await w.WriteAsync(WireNames.Of(b.Kind), NpgsqlDbType.Text, ct);
            await w.WriteAsync(b.Levels, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(b.HeightM, NpgsqlDbType.Double, ct);
            await w.WriteNullableAsync(b.DistrictCode, NpgsqlDbType.Text, ct);
            await w.WriteAsync(new MultiPolygon([b.Footprint]), "geometry", ct);
        }, ct);
        await CopyAsync(connection, "zones (name, name_en, kind, risk_level, coverage_target, district, geom)", layers.Zones, async (w, z) =>
        {
            await w.WriteAsync(z.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(z.NameEn, NpgsqlDbType.Text, ct);
            await w.WriteAsync(WireNames.Of(z.Kind), NpgsqlDbType.Text, ct);
            await w.WriteAsync(z.RiskLevel, NpgsqlDbType.Integer, ct);
            await w.WriteNullableAsync(z.CoverageTarget, NpgsqlDbType.Double, ct);
            await w.WriteNullableAsync(z.DistrictCode, NpgsqlDbType.Text, ct);
            await w.WriteAsync(z.Area, "geometry", ct);
        }, ct);
        await CopyAsync(connection, "cameras (name, geom, kind, heading_deg, field_of_view_deg, range_m, mounting_height_m, status, privacy_masks, installed_at, owner_unit, district)", layers.Cameras, async (w, c) =>
        {
            await w.WriteAsync(c.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync(c.Location, "geometry", ct);
            await w.WriteAsync(WireNames.Of(c.Kind), NpgsqlDbType.Text, ct);
            await w.WriteAsync(c.HeadingDeg, NpgsqlDbType.Double, ct);
            await w.WriteAsync(c.FieldOfViewDeg, NpgsqlDbType.Double, ct);
            await w.WriteAsync(c.RangeM, NpgsqlDbType.Double, ct);
            await w.WriteAsync(c.MountingHeightM, NpgsqlDbType.Double, ct);
            await w.WriteAsync(WireNames.Of(c.Status), NpgsqlDbType.Text, ct);
            if (c.PrivacyMasks is null) await w.WriteNullAsync(ct); else await w.WriteAsync(c.PrivacyMasks, "geometry", ct);
            await w.WriteAsync(c.InstalledAt, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(c.OwnerUnit, NpgsqlDbType.Text, ct);
            await w.WriteNullableAsync(c.DistrictCode, NpgsqlDbType.Text, ct);
        }, ct);
        // the synthetic cameras have had their status since installation (the trigger dated it to this load)
        await ExecuteAsync(connection,
            "UPDATE camera_status_history h SET valid_from = c.installed_at FROM cameras c " +
            "WHERE h.camera_id = c.id AND h.valid_to IS NULL AND c.installed_at < h.valid_from", ct);
        await CopyAsync(connection, "patrol_routes (name, level, mode, owner_unit, shift_windows, status, district, geom)", layers.PatrolRoutes, async (w, r) =>
        {
            await w.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
            await w.WriteAsync((short)r.Level, NpgsqlDbType.Smallint, ct);
            await w.WriteAsync(WireNames.Of(r.Mode), NpgsqlDbType.Text, ct);
            await w.WriteAsync(r.OwnerUnit, NpgsqlDbType.Text, ct);
            await w.WriteAsync(JsonSerializer.Serialize(r.Shifts, ApiJson.Options), NpgsqlDbType.Jsonb, ct);
            await w.WriteAsync(WireNames.Of(r.Status), NpgsqlDbType.Text, ct);
            await w.WriteNullableAsync(r.DistrictCode, NpgsqlDbType.Text, ct);
            await w.WriteAsync(r.Geometry, "geometry", ct);
        }, ct);
        await CopyAsync(connection, "patrol_units (call_sign, level, mode, status, district, geom, last_seen, speed_mps, heading_deg)", layers.PatrolUnits, async (w, u) =>
        {
            await w.WriteAsync(u.CallSign, NpgsqlDbType.Text, ct);
            await w.WriteAsync((short)u.Level, NpgsqlDbType.Smallint, ct);
            await w.WriteAsync(WireNames.Of(u.Mode), NpgsqlDbType.Text, ct);
            await w.WriteAsync(WireNames.Of(u.Status), NpgsqlDbType.Text, ct);
            await w.WriteNullableAsync(u.DistrictCode, NpgsqlDbType.Text, ct);
            await w.WriteAsync(u.Position, "geometry", ct);
            await w.WriteAsync(u.LastSeen, NpgsqlDbType.TimestampTz, ct);
            await w.WriteAsync(u.SpeedMps, NpgsqlDbType.Double, ct);
            await w.WriteAsync(u.HeadingDeg, NpgsqlDbType.Double, ct);
        }, ct);
        var unitIds = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var ids = new NpgsqlCommand("SELECT call_sign, id FROM patrol_units", connection))
        await using (var reader = await ids.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) unitIds[reader.GetString(0)] = reader.GetInt64(1);
        }
        await CopyAsync(connection, "unit_positions (unit_id, recorded_at, geom, speed_mps, heading_deg)",
            DemoCityGenerator.GenerateTracks(layers, TrackHistory, TimeSpan.FromMinutes(1)), async (w, p) =>
            {
                await w.WriteAsync(unitIds[p.CallSign], NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(p.RecordedAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(p.Location, "geometry", ct);
                await w.WriteAsync(p.SpeedMps, NpgsqlDbType.Double, ct);
                await w.WriteAsync(p.HeadingDeg, NpgsqlDbType.Double, ct);
            }, ct);
        await CopyAsync(connection, "incidents (category, severity, status, occurred_at, reported_at, geom, address, district, source, external_id, description)",
            DemoCityGenerator.GenerateIncidents(options, layers), async (w, i) =>
            {
                await w.WriteAsync(WireNames.Of(i.Category), NpgsqlDbType.Text, ct);
                await w.WriteAsync(i.Severity, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(WireNames.Of(i.Status), NpgsqlDbType.Text, ct);
                await w.WriteAsync(i.OccurredAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(i.ReportedAt, NpgsqlDbType.TimestampTz, ct);
                await w.WriteAsync(i.Location, "geometry", ct);
                await w.WriteAsync(i.Address, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(i.DistrictCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync("demo", NpgsqlDbType.Text, ct);
                await w.WriteAsync(i.ExternalId, NpgsqlDbType.Text, ct);
                await w.WriteAsync(i.Description, NpgsqlDbType.Text, ct);
            }, ct);
        // every unit patrols the nearest route of its level and mode (as its generated track does)
        await ExecuteAsync(connection,
            "UPDATE patrol_units u SET route_id = (SELECT r.id FROM patrol_routes r WHERE r.level = u.level AND r.mode = u.mode " +
            "ORDER BY ST_Distance(r.geom::geography, u.geom::geography), r.id LIMIT 1) WHERE u.geom IS NOT NULL", ct);
        foreach (var layer in new[] { "districts", "zones", "cameras", "patrol_routes", "patrol_units", "incidents" })
            await ExecuteAsync(connection, $"SELECT sm_log_layer_reloaded('{layer}')", ct);
        await Audit.AuditContext.RecordAsync(connection, tx, "bulk_load", null, null, new
        {
            source = "demo city generator (synthetic)",
            reset,
            districts = layers.Districts.Count,
            roads = layers.Roads.Count,
            buildings = layers.Buildings.Count,
            zones = layers.Zones.Count,
            cameras = layers.Cameras.Count,
            patrol_routes = layers.PatrolRoutes.Count,
            patrol_units = layers.PatrolUnits.Count,
            incidents = incidentCount,
        }, ct);
        await tx.CommitAsync(ct);
        await ExecuteAsync(connection, "ANALYZE", ct);
        logger.LogInformation(
            "Loaded the synthetic demo city in {Seconds:0.0} s: {Districts} districts, {Roads} road segments, {Buildings} buildings, {Zones} zones, {Cameras} cameras, {Routes} patrol routes, {Units} units, {Incidents} incidents.",
            clock.Elapsed.TotalSeconds, layers.Districts.Count, layers.Roads.Count, layers.Buildings.Count, layers.Zones.Count, layers.Cameras.Count,
            layers.PatrolRoutes.Count, layers.PatrolUnits.Count, incidentCount);
    }

    internal static async Task CopyAsync<T>(NpgsqlConnection connection, string target, IEnumerable<T> rows,
        Func<NpgsqlBinaryImporter, T, Task> write, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", ct);
        importer.Timeout = TimeSpan.FromHours(1); // a million rows through triggers and GiST indexes take a while
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            await write(importer, row);
        }
        await importer.CompleteAsync(ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
