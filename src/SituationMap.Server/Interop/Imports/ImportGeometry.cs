using System.Globalization;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Interop.Imports;

/// <summary>
/// A file geometry on its way into a layer: converted from the file's CRS to WGS84 (GIS axis order, x = east), made
/// 2D, single-part multi-points taken as points, then held to the same rules as the API's GeoJSON (accepted types,
/// coordinate ranges, vertex limit, OGC validity with the place of the fault) and normalised to the stored type.
/// </summary>
public sealed class ImportGeometry
{
    private readonly Crs _crs;

    private ImportGeometry(Crs crs) => _crs = crs;

    public string CrsId => _crs.Id;

    /// <summary>The converter for the given CRS (the option, else what the file declares, else WGS84), or null with a problem.</summary>
    public static ImportGeometry? For(string? option, string? declared, ProblemCollector problems)
    {
        if (option is not null)
        {
            var crs = CrsRegistry.Find(option);
            if (crs is null) problems.Add("/options/crs", $"'{option}' is not a supported CRS; use e.g. EPSG:4326, EPSG:4490, EPSG:3857, EPSG:32650, EPSG:4547, GCJ-02 or BD-09.");
            return crs is null ? null : new ImportGeometry(crs);
        }
        if (declared is null) return new ImportGeometry(CrsRegistry.Wgs84);
        var found = declared.StartsWith("WKT:", StringComparison.Ordinal) ? CrsRegistry.FromWkt(declared[4..]) : CrsRegistry.Find(declared);
        if (found is null)
        {
            var shown = declared.Length > 120 ? declared[..120] + "…" : declared;
            problems.Add("/options/crs", $"the file declares a CRS SituationMap does not know ({shown}); name the CRS of its coordinates in options.crs.");
        }
        return found is null ? null : new ImportGeometry(found);
    }

    /// <summary>The geometry in WGS84, checked and normalised for the layer, or null with problems at "geometry".</summary>
    public Geometry? ToLayer(Geometry source, GeometryRule rule, ProblemCollector problems)
    {
        var geometry = source is MultiPoint { NumGeometries: 1 } single && rule.AcceptedTypes.Contains("Point") ? single.GetGeometryN(0) : source;
        if (!rule.AcceptedTypes.Contains(geometry.GeometryType))
        {
            problems.Add("geometry", $"is a {geometry.GeometryType}; this layer takes {string.Join(" or ", rule.AcceptedTypes)}.");
            return null;
        }
        if (geometry.IsEmpty)
        {
            problems.Add("geometry", "is empty.");
            return null;
        }
        if (geometry.NumPoints > rule.MaxVertices)
        {
            problems.Add("geometry", string.Create(CultureInfo.InvariantCulture, $"has {geometry.NumPoints} vertices; at most {rule.MaxVertices} are allowed."));
            return null;
        }
        var flat = Flatten(geometry);
        var wgs84 = _crs.ToWgs84(flat);
        var converted = wgs84.Coordinates;
        for (var i = 0; i < converted.Length; i++)
        {
            var c = converted[i];
            if (double.IsFinite(c.X) && double.IsFinite(c.Y) && c.X is >= -180 and <= 180 && c.Y is >= -90 and <= 90) continue;
            var original = flat.Coordinates[i];
            problems.Add("geometry", string.Create(CultureInfo.InvariantCulture,
                $"position ({original.X:0.#######}, {original.Y:0.#######}) in {_crs.Id} is not a place on Earth (longitude -180…180, latitude -90…90 after conversion); check options.crs and the coordinate columns."));
            return null;
        }
        var validity = new IsValidOp(wgs84).ValidationError;
        if (validity is not null)
        {
            var at = validity.Coordinate is { } p ? string.Create(CultureInfo.InvariantCulture, $" at ({p.X:0.#######}, {p.Y:0.#######})") : "";
            problems.Add("geometry", $"invalid geometry: {validity.Message.ToLowerInvariant()}{at}.");
            return null;
        }
        return rule.Normalise(wgs84);
    }

    /// <summary>A 2D copy (layers store XY; a Z or M from a survey file would not fit the columns).</summary>
    private static Geometry Flatten(Geometry g)
    {
        var editor = new NetTopologySuite.Geometries.Utilities.GeometryEditor(g.Factory);
        return editor.Edit(g, new NetTopologySuite.Geometries.Utilities.GeometryEditor.CoordinateSequenceOperation((seq, _) =>
        {
            var flat = g.Factory.CoordinateSequenceFactory.Create(seq.Count, Ordinates.XY);
            for (var i = 0; i < seq.Count; i++)
            {
                flat.SetX(i, seq.GetX(i));
                flat.SetY(i, seq.GetY(i));
            }
            return flat;
        }));
    }
}
