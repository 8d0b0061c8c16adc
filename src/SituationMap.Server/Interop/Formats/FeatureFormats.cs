using NetTopologySuite.Geometries;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// One feature read from a file: its 1-based number in the file (data row for CSV, feature/record index otherwise),
/// its geometry in the file's coordinate system (null when the row has none), its attributes by the file's own
/// column/property names (values: string, long, double, bool, DateTime/DateTimeOffset or null), and
/// <see cref="Problem"/> when the row itself cannot be read (wrong column count, unreadable shape) — the import
/// reports such rows as rejects instead of stopping.
/// </summary>
public sealed record SourceFeature(long Row, Geometry? Geometry, IReadOnlyDictionary<string, object?> Attributes, string? Problem = null);

/// <summary>Reads the features of one file, forward-only and in file order (GeoJSON, CSV, Shapefile, GeoPackage).</summary>
public interface IFeatureSource : IDisposable
{
    /// <summary>"geojson", "csv", "shapefile" or "gpkg".</summary>
    string Format { get; }

    /// <summary>The coordinate system the file declares (e.g. "EPSG:4326" from a .prj or a GeoPackage srs_id), null when it declares none.</summary>
    string? DeclaredCrs { get; }

    /// <summary>The attribute names, in file order.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>The number of features when the format tells it before reading (Shapefile, GeoPackage), else null.</summary>
    long? Count { get; }

    /// <summary>How much of the file has been read, 0 … 1 (for progress display).</summary>
    double Progress { get; }

    IEnumerable<SourceFeature> Read(CancellationToken ct);
}

public enum FieldKind
{
    Text,
    Integer,
    Real,
    Boolean,
    DateTime,
}

/// <summary>An attribute column of an export.</summary>
public sealed record ExportField(string Name, FieldKind Kind);

/// <summary>
/// The shape of one exported layer: its name (the collection id, e.g. "incidents"), the geometry type every feature
/// has ("Point", "MultiLineString" or "MultiPolygon") and its attribute columns.
/// </summary>
public sealed record ExportLayer(string Name, string GeometryType, IReadOnlyList<ExportField> Fields);

/// <summary>One exported feature: id, WGS84 (lon, lat) geometry, values aligned with <see cref="ExportLayer.Fields"/>.</summary>
public sealed record ExportFeature(long Id, Geometry? Geometry, object?[] Values);

/// <summary>Writes a layer's features in one file format (streamed where the format allows it).</summary>
public interface IFeatureWriter
{
    /// <summary>"geojson", "csv", "gpkg", "shp" (zipped shapefile) or "kml".</summary>
    string Format { get; }

    string ContentType { get; }

    /// <summary>The file name extension, e.g. ".geojson", ".zip".</summary>
    string Extension { get; }

    Task WriteAsync(Stream output, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct);
}
