using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Buildings;

/// <summary>What an import did: the source, footprints now stored for it, how many it replaced, how many got a district.</summary>
public sealed record BuildingImportResult(string Source, int Imported, int Replaced, int WithDistrict);

/// <summary>
/// PUT /api/buildings/sources/{source}: replaces every footprint of one source (e.g. "osm-2026-11", "cadastre") with a
/// GeoJSON FeatureCollection of Polygons/MultiPolygons — all or nothing, validated feature by feature (problems name
/// /features/{i}/geometry or /features/{i}/properties/…), audited. Properties: ref (the source's id, unique in the
/// file), kind (residential, commercial, industrial, public, other; default other; OSM's "building" tag values are
/// mapped), levels (0–200), height_m ((0, 1000]); others are ignored. Districts are assigned by the footprint's
/// interior point. Camera coverage is rebuilt with the new obstacles afterwards. Up to 256 MiB per request.
/// </summary>
public static partial class BuildingImport
{
    public const long MaxBytes = 256L * 1024 * 1024;
    public const int MaxFeatures = 1_000_000;
    private static readonly string[] Kinds = ["residential", "commercial", "industrial", "public", "other"];

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,99}$")]
    internal static partial Regex SourceName();

    public static async Task<IResult> Replace(string source, HttpRequest request, SituationMapDb db, ClaimsPrincipal user,
        Coverage.CoverageUpdater coverage, CancellationToken ct)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBytes;
        if (!SourceName().IsMatch(source)) return ApiProblems.Single("/source", "must be 1–100 characters: lower-case letters, digits, '.', '_' or '-'.");
        var (document, problem) = await FeatureReader.ReadJsonAsync(request, ct);
        if (problem is not null) return problem;
        using var json = document!;
        var problems = new ProblemCollector();
        var rows = Read(json.RootElement, problems);
        if (problems.Any) return problems.ToResult("The import is invalid; nothing was written.");

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        BuildingImportResult result;
        try
        {
            result = await WriteAsync(connection, source, rows, AuditActor.Current(request.HttpContext), ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return ApiProblems.Single("/features", "two features have the same properties.ref; refs must be unique within a source.");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        coverage.RequestRebuild(); // the footprints are the cameras' obstacles
        return TypedResults.Json(result, Infrastructure.Json.ApiJson.Options);
    }

    /// <summary>
    /// One transaction: deletes the source's footprints, COPYs the rows, assigns districts by interior point, audits
    /// (action "import"). Shared by the PUT endpoint and the import-buildings command (<see cref="OsmBuildingImport"/>).
    /// </summary>
    internal static async Task<BuildingImportResult> WriteAsync(NpgsqlConnection connection, string source, IReadOnlyList<Row> rows,
        AuditActor? actor, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct);
        await AuditContext.ApplyAsync(connection, tx, actor, ct: ct);
        int replaced;
        await using (var delete = new NpgsqlCommand("DELETE FROM buildings WHERE source = $1", connection, tx))
        {
            delete.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            replaced = await delete.ExecuteNonQueryAsync(ct);
        }
        await using (var importer = await connection.BeginBinaryImportAsync("COPY buildings (ref, source, kind, levels, height_m, geom) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync(ct);
                await importer.WriteNullableAsync(row.Ref, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(source, NpgsqlDbType.Text, ct);
                await importer.WriteAsync(row.Kind, NpgsqlDbType.Text, ct);
                await importer.WriteNullableAsync(row.Levels, NpgsqlDbType.Integer, ct);
                await importer.WriteNullableAsync(row.HeightM, NpgsqlDbType.Double, ct);
                await importer.WriteAsync(row.Footprint, "geometry", ct);
            }
            await importer.CompleteAsync(ct);
        }
        int withDistrict;
        await using (var assign = new NpgsqlCommand(
            "UPDATE buildings b SET district = d.code FROM districts d WHERE b.source = $1 AND ST_Intersects(d.geom, ST_PointOnSurface(b.geom))", connection, tx))
        {
            assign.Parameters.Add(new NpgsqlParameter<string> { TypedValue = source });
            withDistrict = await assign.ExecuteNonQueryAsync(ct);
        }
        var result = new BuildingImportResult(source, rows.Count, replaced, withDistrict);
        await AuditContext.RecordAsync(connection, tx, "import", "buildings", null, result, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    internal sealed record Row(string? Ref, string Kind, int? Levels, double? HeightM, MultiPolygon Footprint);

    private static List<Row> Read(JsonElement root, ProblemCollector problems)
    {
        var rows = new List<Row>();
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "FeatureCollection")
        {
            problems.Add("/type", "the body must be a GeoJSON FeatureCollection.");
            return rows;
        }
        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            problems.Add("/features", "must be an array of Features.");
            return rows;
        }
        if (features.GetArrayLength() > MaxFeatures) problems.Add("/features", $"has {features.GetArrayLength()} features; at most {MaxFeatures} per import.");
        var refs = new HashSet<string>(StringComparer.Ordinal);
        var i = -1;
        foreach (var feature in features.EnumerateArray())
        {
            i++;
            if (problems.IsFull) break;
            var at = $"/features/{i}";
            if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("geometry", out var geometryJson))
            {
                problems.Add(at, "must be a Feature with a geometry.");
                continue;
            }
            var geometry = GeoJsonGeometryReader.Read(geometryJson, at + "/geometry", GeometryRule.Areas, problems);
            string? reference = null;
            var kind = "other";
            int? levels = null;
            double? height = null;
            if (feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                if (p.TryGetProperty("ref", out var r) && r.ValueKind != JsonValueKind.Null)
                {
                    reference = r.ValueKind switch { JsonValueKind.String => r.GetString(), JsonValueKind.Number => r.GetRawText(), _ => null };
                    if (reference is null || reference.Length is 0 or > 100) problems.Add(at + "/properties/ref", "must be a string or number of 1–100 characters.");
                    else if (!refs.Add(reference)) problems.Add(at + "/properties/ref", $"'{reference}' appears twice in the file.");
                }
                if (p.TryGetProperty("kind", out var k) && k.ValueKind != JsonValueKind.Null)
                {
                    if (k.ValueKind != JsonValueKind.String || !Kinds.Contains(k.GetString())) problems.Add(at + "/properties/kind", "must be " + string.Join(", ", Kinds) + ".");
                    else kind = k.GetString()!;
                }
                else if (p.TryGetProperty("building", out var osm) && osm.ValueKind == JsonValueKind.String) kind = FromOsm(osm.GetString()!);
                if (p.TryGetProperty("levels", out var l) && l.ValueKind != JsonValueKind.Null)
                {
                    if (l.ValueKind != JsonValueKind.Number || !l.TryGetInt32(out var v) || v is < 0 or > 200) problems.Add(at + "/properties/levels", "must be a whole number between 0 and 200.");
                    else levels = v;
                }
                if (p.TryGetProperty("height_m", out var h) && h.ValueKind != JsonValueKind.Null)
                {
                    if (h.ValueKind != JsonValueKind.Number || !(h.GetDouble() is > 0 and <= 1000)) problems.Add(at + "/properties/height_m", "must be a number in (0, 1000] metres.");
                    else height = h.GetDouble();
                }
            }
            if (geometry is not null) rows.Add(new Row(reference, kind, levels, height, (MultiPolygon)GeometryRule.Areas.Normalise(geometry)));
        }
        return rows;
    }

    /// <summary>OpenStreetMap building=* values to our kinds.</summary>
    internal static string FromOsm(string value) => value switch
    {
        "house" or "residential" or "apartments" or "detached" or "semidetached_house" or "terrace" or "dormitory" or "bungalow" => "residential",
        "commercial" or "retail" or "office" or "supermarket" or "kiosk" or "hotel" => "commercial",
        "industrial" or "warehouse" or "factory" or "manufacture" => "industrial",
        "public" or "school" or "hospital" or "civic" or "government" or "church" or "university" or "kindergarten" or "fire_station" or "train_station" => "public",
        _ => "other",
    };
}
