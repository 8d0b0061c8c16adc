using System.Text;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// RFC 4180 CSV (UTF-8 without BOM, CRLF, a header row), streamed: id, the layer's fields, then longitude and latitude
/// for point layers and the geometry as WKT in column "wkt" (the column GDAL's CSV driver reads as geometry). Text that
/// a spreadsheet would run as a formula is prefixed with an apostrophe, as in the other CSV exports.
/// </summary>
public sealed class CsvWriter : IFeatureWriter
{
    public string Format => "csv";

    public string ContentType => "text/csv; charset=utf-8";

    public string Extension => ".csv";

    public async Task WriteAsync(Stream output, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        var points = layer.GeometryType == "Point";
        var wkt = new WKTWriter(2) { OutputOrdinates = Ordinates.XY };
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        var header = new List<string> { "id" };
        header.AddRange(layer.Fields.Select(f => f.Name));
        if (points) header.AddRange(["longitude", "latitude"]);
        header.Add("wkt");
        await writer.WriteLineAsync(string.Join(',', header.Select(Quote)));

        var line = new StringBuilder();
        await foreach (var feature in features.WithCancellation(ct))
        {
            line.Clear().Append(FieldValues.Text(feature.Id, FieldKind.Integer));
            for (var i = 0; i < layer.Fields.Count; i++)
            {
                var kind = layer.Fields[i].Kind;
                var text = FieldValues.Text(feature.Values[i], kind);
                line.Append(',').Append(kind == FieldKind.Text ? Audit.AuditApi.Csv(text) : Quote(text ?? ""));
            }
            if (points)
            {
                var p = feature.Geometry as Point;
                line.Append(',').Append(p is null ? "" : FieldValues.Text(p.X, FieldKind.Real))
                    .Append(',').Append(p is null ? "" : FieldValues.Text(p.Y, FieldKind.Real));
            }
            line.Append(',').Append(feature.Geometry is null ? "" : Quote(wkt.Write(feature.Geometry)));
            await writer.WriteLineAsync(line, ct);
        }
        await writer.FlushAsync(ct);
    }

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.</summary>
    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
