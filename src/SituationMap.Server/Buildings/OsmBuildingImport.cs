using System.Diagnostics;
using Npgsql;
using SituationMap.Analysis.Osm;

namespace SituationMap.Server.Buildings;

/// <summary>
/// The import-buildings command: replaces the footprints of one source (default "osm") with the buildings of an
/// OpenStreetMap extract (<c>.osm.pbf</c>, <c>.osm</c> or <c>.osm.bz2</c>, read by <see cref="OsmBuildingReader"/>:
/// closed building ways and building multipolygons). Ref is "w&lt;way id&gt;" or "r&lt;relation id&gt;", kind is mapped
/// from building=* as the GeoJSON import maps it, levels from building:levels, height from height or levels × 3 m.
/// Same transaction as PUT /api/buildings/sources/{source} (<see cref="BuildingImport.WriteAsync"/>): all or nothing,
/// districts assigned, audited. Running servers pick the footprints up for camera coverage at the next model rebuild
/// (a zone change or a restart), since the command runs in its own process.
/// </summary>
public static class OsmBuildingImport
{
    public const string DefaultSource = "osm";

    public static async Task<BuildingImportResult> ImportAsync(NpgsqlDataSource dataSource, string path, string source, ILogger log, CancellationToken ct)
    {
        if (!BuildingImport.SourceName().IsMatch(source)) throw new ArgumentException("--source must be 1–100 characters: lower-case letters, digits, '.', '_' or '-'.");
        log.LogInformation("Reading the buildings of {File}…", path);
        var clock = Stopwatch.StartNew();
        var buildings = OsmBuildingReader.Read(path);
        if (buildings.Count > BuildingImport.MaxFeatures) throw new InvalidDataException($"{buildings.Count} buildings; at most {BuildingImport.MaxFeatures} per source.");
        var relations = buildings.Count(b => b.Ref.StartsWith('r'));
        log.LogInformation("Read {Buildings} buildings ({Ways} ways, {Relations} multipolygons, {WithHeight} with a height) in {Seconds:F1} s.",
            buildings.Count, buildings.Count - relations, relations, buildings.Count(b => b.HeightM is not null), clock.Elapsed.TotalSeconds);
        var rows = buildings.Select(b => new BuildingImport.Row(b.Ref, BuildingImport.FromOsm(b.Building), b.Levels, b.HeightM, b.Footprint)).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var result = await BuildingImport.WriteAsync(connection, source, rows, Audit.AuditActor.Current(null), ct);
        log.LogInformation("Stored {Imported} footprints as source '{Source}' (replaced {Replaced}; {WithDistrict} inside a district) in {Seconds:F1} s.",
            result.Imported, result.Source, result.Replaced, result.WithDistrict, clock.Elapsed.TotalSeconds);
        return result;
    }
}
