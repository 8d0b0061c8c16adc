using System.Globalization;
using System.Text;
using System.Xml;
using NetTopologySuite.Geometries;

namespace SituationMap.Server.Interop.Formats;

/// <summary>
/// KML 2.2, streamed: one Placemark per feature (id "layer.id"), its name from the first of the fields name, call_sign,
/// code, category, and every field as ExtendedData/Data (KML's untyped attributes: values are their invariant text,
/// instants RFC 3339). Geometries as KML spells them: Point, LineString, Polygon with outer/inner boundaries, and
/// MultiGeometry for the multi types. Coordinates are lon,lat (KML is always WGS84).
/// </summary>
public sealed class KmlWriter : IFeatureWriter
{
    public const string Namespace = "http://www.opengis.net/kml/2.2";

    private static readonly string[] NameFields = ["name", "call_sign", "code", "category"];

    public string Format => "kml";

    public string ContentType => "application/vnd.google-earth.kml+xml";

    public string Extension => ".kml";

    public async Task WriteAsync(Stream output, ExportLayer layer, IAsyncEnumerable<ExportFeature> features, CancellationToken ct)
    {
        // Kestrel refuses synchronous writes, and XmlWriter flushes synchronously from its synchronous methods: each
        // Placemark is built in memory as an XML fragment (it inherits the document's default namespace), then written
        // asynchronously.
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        var fragment = new XmlWriterSettings { ConformanceLevel = ConformanceLevel.Fragment, OmitXmlDeclaration = true };
        var head = new StringBuilder();
        using (var xml = XmlWriter.Create(head, fragment))
        {
            xml.WriteStartElement("name");
            xml.WriteString(layer.Name);
            xml.WriteEndElement();
        }
        await writer.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<kml xmlns=\"{Namespace}\"><Document>{head}");
        var nameField = NameFields.Select(n => layer.Fields.ToList().FindIndex(f => f.Name == n)).FirstOrDefault(i => i >= 0, -1);
        var placemark = new StringBuilder();
        await foreach (var feature in features.WithCancellation(ct))
        {
            placemark.Clear();
            using (var xml = XmlWriter.Create(placemark, fragment)) WritePlacemark(xml, layer, feature, nameField);
            await writer.WriteAsync(placemark.Append('\n'), ct);
        }
        await writer.WriteAsync("</Document></kml>\n");
        await writer.FlushAsync(ct);
    }

    private static void WritePlacemark(XmlWriter xml, ExportLayer layer, ExportFeature feature, int nameField)
    {
        var id = feature.Id.ToString(CultureInfo.InvariantCulture);
        xml.WriteStartElement("Placemark");
        xml.WriteAttributeString("id", $"{layer.Name}.{id}");
        var name = nameField >= 0 ? FieldValues.Text(feature.Values[nameField], layer.Fields[nameField].Kind) : null;
        xml.WriteElementString("name", name ?? $"{layer.Name} {id}");
        xml.WriteStartElement("ExtendedData");
        WriteData(xml, "id", id);
        for (var i = 0; i < layer.Fields.Count; i++) WriteData(xml, layer.Fields[i].Name, FieldValues.Text(feature.Values[i], layer.Fields[i].Kind));
        xml.WriteEndElement();
        if (feature.Geometry is { IsEmpty: false } geometry) WriteGeometry(xml, geometry);
        xml.WriteEndElement();
    }

    /// <summary>Every field in every Placemark, a null one as an empty value: readers build their columns from the Data they see.</summary>
    private static void WriteData(XmlWriter xml, string name, string? value)
    {
        xml.WriteStartElement("Data");
        xml.WriteAttributeString("name", name);
        xml.WriteElementString("value", value ?? "");
        xml.WriteEndElement();
    }

    private static void WriteGeometry(XmlWriter xml, Geometry geometry)
    {
        switch (geometry)
        {
            case Point p:
                xml.WriteStartElement("Point");
                WriteCoordinates(xml, p.CoordinateSequence);
                xml.WriteEndElement();
                break;
            case LineString l:
                xml.WriteStartElement("LineString");
                WriteCoordinates(xml, l.CoordinateSequence);
                xml.WriteEndElement();
                break;
            case Polygon polygon:
                xml.WriteStartElement("Polygon");
                WriteRing(xml, "outerBoundaryIs", polygon.Shell);
                foreach (var hole in polygon.Holes) WriteRing(xml, "innerBoundaryIs", hole);
                xml.WriteEndElement();
                break;
            case GeometryCollection collection:
                xml.WriteStartElement("MultiGeometry");
                for (var i = 0; i < collection.NumGeometries; i++) WriteGeometry(xml, collection.GetGeometryN(i));
                xml.WriteEndElement();
                break;
        }
    }

    private static void WriteRing(XmlWriter xml, string boundary, LineString ring)
    {
        xml.WriteStartElement(boundary);
        xml.WriteStartElement("LinearRing");
        WriteCoordinates(xml, ring.CoordinateSequence);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteCoordinates(XmlWriter xml, CoordinateSequence sequence)
    {
        var text = new StringBuilder();
        for (var i = 0; i < sequence.Count; i++)
        {
            if (i > 0) text.Append(' ');
            text.Append(sequence.GetX(i).ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(sequence.GetY(i).ToString("R", CultureInfo.InvariantCulture));
        }
        xml.WriteElementString("coordinates", text.ToString());
    }
}
