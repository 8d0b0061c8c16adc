using System.Text.Json;

namespace SituationMap.Server.Interop.Imports;

/// <summary>
/// How to import a file (JSON, snake_case; the API's "options" form field and the CLI's --options file):
/// <list type="bullet">
/// <item><c>layer</c>: incidents, cameras or zones.</item>
/// <item><c>format</c>: geojson, csv, shapefile or gpkg; by default from the file name.</item>
/// <item><c>crs</c>: the CRS of the file's coordinates (EPSG:4326, EPSG:4490, EPSG:3857, UTM and CGCS2000 Gauss-Krüger
///   codes, GCJ-02, BD-09…); by default what the file declares (.prj, GeoPackage, GeoJSON "crs"), else WGS84.</item>
/// <item><c>x</c>, <c>y</c> or <c>wkt</c>, <c>delimiter</c>: CSV geometry columns (found by name when left out);
///   <c>table</c>: the GeoPackage feature table.</item>
/// <item><c>source</c>: the name of the system the data comes from; with <c>external_id</c> (a column, or "#hash" for a
///   fingerprint of the row's mapped values) it makes re-imports update instead of duplicating.</item>
/// <item><c>fields</c>: target field → <see cref="FieldMap"/>; a field not named here takes the column of the same name.</item>
/// <item><c>mode</c>: "atomic" (default: any rejected row and nothing is written) or "skip_bad_rows" (the good rows
///   are written, the rejects reported and kept as a reject file).</item>
/// <item><c>dry_run</c>: do everything (including the database upsert, inside a transaction that is rolled back) and
///   report what would be created, updated, unchanged and rejected.</item>
/// </list>
/// </summary>
public sealed record ImportOptions(
    string? Layer = null,
    string? Format = null,
    string? Crs = null,
    string? X = null,
    string? Y = null,
    string? Wkt = null,
    string? Delimiter = null,
    string? Table = null,
    string? Source = null,
    string? ExternalId = null,
    Dictionary<string, FieldMap>? Fields = null,
    string? Mode = null,
    bool? DryRun = null)
{
    public const string Atomic = "atomic";
    public const string SkipBadRows = "skip_bad_rows";
    public const string HashExternalId = "#hash";

    public bool SkipsBadRows => Mode == SkipBadRows;
}

/// <summary>
/// Where one target field's value comes from: a <c>column</c> of the file, or a constant <c>value</c>. <c>values</c>
/// maps the column's text to target values (case-insensitive; e.g. "THEFT" → "property"); <c>default</c> is used when the
/// cell is empty or (with <c>values</c>) has no mapping. Dates: <c>format</c> is a .NET exact format
/// ("yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy HH:mm", or "unix" for epoch seconds, "unix_ms" for milliseconds) and
/// <c>time_zone</c> an IANA zone ("America/Chicago", "Asia/Shanghai") for date-times written without a UTC offset.
/// </summary>
public sealed record FieldMap(
    string? Column = null,
    JsonElement? Value = null,
    Dictionary<string, JsonElement>? Values = null,
    JsonElement? Default = null,
    string? Format = null,
    string? TimeZone = null);
