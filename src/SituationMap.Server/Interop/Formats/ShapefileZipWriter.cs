using System.IO.Compression;
using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf.Fields;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// An Esri Shapefile, zipped: layer.shp/.shx/.dbf, .prj (WGS 84 in ESRI WKT) and .cpg (UTF-8). DBF limits shape the
/// attributes: field names of at most 10 characters (<see cref="FieldNames"/>), text of at most 254 bytes (cut at a
/// character boundary), Integer as N(18) (GDAL reads it as Integer64), Real as N(19,11), Boolean as L; DBF dates have no time, so instants are ISO
/// text (C(28)) instead. An id field carries the feature id. The files are written to a temporary directory, zipped
/// into a temporary file and copied to the output.
/// </summary>
public sealed class ShapefileZipWriter : IFeatureWriter
{
    public const string Wgs84Prj =
        "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    private const int MaxTextBytes = 254;
    private const int MaxNameLength = 10;

    public string Format => "shp";

    public string ContentType => "application/zip";

    public string Extension => ".shp.zip";

    public async Task WriteAsync(Stream output, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("situationmap-export-");
        try
        {
            await WriteFilesAsync(Path.Combine(dir.FullName, layer.Name + ".shp"), layer, features, ct);
            var zip = Path.Combine(dir.FullName, layer.Name + ".zip");
            await using (var file = new FileStream(zip, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            await using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
            {
                foreach (var extension in new[] { ".shp", ".shx", ".dbf", ".prj", ".cpg" })
                {
                    var entry = archive.CreateEntry(layer.Name + extension, CompressionLevel.Fastest);
                    await using var target = await entry.OpenAsync(ct);
                    await using var source = File.OpenRead(Path.Combine(dir.FullName, layer.Name + extension));
                    await source.CopyToAsync(target, ct);
                }
            }
            await using var result = new FileStream(zip, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
            await result.CopyToAsync(output, ct);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Writes the shapefile's parts next to <paramref name="shpPath"/>.</summary>
    public static async Task WriteFilesAsync(string shpPath, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        var names = FieldNames(["id", .. layer.Fields.Select(f => f.Name)]);
        var fields = new List<DbfField> { new DbfNumericInt64Field(names[0], 18) };
        fields.AddRange(layer.Fields.Select((f, i) => DbfFieldFor(names[i + 1], f.Kind)));
        var options = new ShapefileWriterOptions(ShapeTypeOf(layer.GeometryType), [.. fields])
        {
            Encoding = Encoding.UTF8,
            Projection = Wgs84Prj,
        };
        using (var writer = Shapefile.OpenWrite(shpPath, options))
        {
            await foreach (var feature in features.WithCancellation(ct))
            {
                writer.Geometry = feature.Geometry ?? EmptyOf(layer.GeometryType);
                writer.Fields[0].Value = feature.Id;
                for (var i = 0; i < layer.Fields.Count; i++) writer.Fields[i + 1].Value = DbfValue(feature.Values[i], layer.Fields[i].Kind);
                writer.Write();
            }
        }
        await File.WriteAllTextAsync(Path.ChangeExtension(shpPath, ".cpg"), "UTF-8", ct);
    }

    /// <summary>
    /// DBF field names: the first 10 characters, unique regardless of case (DBF readers compare them so); a clash keeps
    /// the first name and gives the later one a suffix _1, _2 … within the 10 characters. Deterministic: the same fields
    /// always get the same names.
    /// </summary>
    public static IReadOnlyList<string> FieldNames(IReadOnlyList<string> names)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var name in names)
        {
            var candidate = name.Length <= MaxNameLength ? name : name[..MaxNameLength];
            for (var n = 1; !used.Add(candidate); n++)
            {
                var suffix = "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                candidate = (name.Length <= MaxNameLength - suffix.Length ? name : name[..(MaxNameLength - suffix.Length)]) + suffix;
            }
            result.Add(candidate);
        }
        return result;
    }

    /// <summary>The library refuses a null geometry but writes an empty one as a null shape (a record without geometry).</summary>
    private static Geometry EmptyOf(string geometryType) => geometryType switch
    {
        "Point" => Geometry.DefaultFactory.CreatePoint(),
        "MultiPoint" => Geometry.DefaultFactory.CreateMultiPoint(),
        "LineString" or "MultiLineString" => Geometry.DefaultFactory.CreateMultiLineString(),
        _ => Geometry.DefaultFactory.CreateMultiPolygon(),
    };

    private static ShapeType ShapeTypeOf(string geometryType) => geometryType switch
    {
        "Point" => ShapeType.Point,
        "MultiPoint" => ShapeType.MultiPoint,
        "LineString" or "MultiLineString" => ShapeType.PolyLine,
        "Polygon" or "MultiPolygon" => ShapeType.Polygon,
        _ => throw new ArgumentException($"A shapefile cannot hold {geometryType} geometries.", nameof(geometryType)),
    };

    private static DbfField DbfFieldFor(string name, FieldKind kind) => kind switch
    {
        FieldKind.Integer => new DbfNumericInt64Field(name, 18),
        FieldKind.Real => new DbfNumericDoubleField(name, 19, 11),
        FieldKind.Boolean => new DbfLogicalField(name, 1),
        FieldKind.DateTime => new DbfCharacterField(name, 28),
        _ => new DbfCharacterField(name, MaxTextBytes),
    };

    private static object? DbfValue(object? value, FieldKind kind) => value switch
    {
        null => null,
        _ => kind switch
        {
            FieldKind.Integer => FieldValues.Integer(value),
            FieldKind.Real => FieldValues.Real(value),
            FieldKind.Boolean => FieldValues.Boolean(value),
            FieldKind.DateTime => FieldValues.Text(value, kind),
            _ => Truncate(FieldValues.Text(value, kind)!),
        },
    };

    /// <summary>At most 254 UTF-8 bytes, never splitting a character (nor a surrogate pair).</summary>
    private static string Truncate(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) <= MaxTextBytes) return text;
        var length = 0;
        var bytes = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxTextBytes) break;
            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }
        return text[..length];
    }
}
