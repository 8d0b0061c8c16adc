using OsmSharp.Streams;

namespace SituationMap.Analysis.Osm;

/// <summary>Opens an OpenStreetMap file by its name — <c>.osm.pbf</c>, <c>.osm</c> (XML) or <c>.osm.bz2</c> (bzip2 XML) — for one read.</summary>
public static class OsmFile
{
    public static T Read<T>(string path, Func<OsmStreamSource, T> read)
    {
        using var file = File.OpenRead(path);
        if (path.EndsWith(".pbf", StringComparison.OrdinalIgnoreCase)) return read(new PBFOsmStreamSource(file));
        if (path.EndsWith(".bz2", StringComparison.OrdinalIgnoreCase))
        {
            using var xml = new ICSharpCode.SharpZipLib.BZip2.BZip2InputStream(file);
            return read(new XmlOsmStreamSource(xml));
        }
        if (path.EndsWith(".osm", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) return read(new XmlOsmStreamSource(file));
        throw new ArgumentException($"{Path.GetFileName(path)}: not an OSM file (.osm.pbf, .osm or .osm.bz2).", nameof(path));
    }
}
