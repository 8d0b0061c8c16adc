using System.Globalization;
using NetTopologySuite.Geometries;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>
/// The query parameters every list endpoint shares: <c>bbox=minLon,minLat,maxLon,maxLat</c> (WGS84 degrees; features
/// intersecting it), <c>limit</c> (1 … 10,000, default 1,000) and <c>after</c> (keyset cursor: the last id of the
/// previous page; pages are ordered by id). Query-parameter problems are reported at pointer "?name".
/// </summary>
public sealed record PageQuery(string? Bbox, int? Limit, long? After)
{
    public const int DefaultLimit = 1_000;
    public const int MaxLimit = 10_000;

    public int EffectiveLimit => Limit ?? DefaultLimit;

    public void Validate(ProblemCollector problems)
    {
        if (Limit is < 1 or > MaxLimit) problems.Add("?limit", $"must be between 1 and {MaxLimit}.");
        if (After is < 0) problems.Add("?after", "must be an id (0 or more).");
        if (Bbox is not null) ParseBbox(Bbox, "?bbox", problems);
    }

    /// <summary>
    /// One page of a reference layer (roads, buildings) as a GeoJSON FeatureCollection: <paramref name="rows"/> are
    /// ordered by id and hold up to <see cref="EffectiveLimit"/> + 1 rows (the extra one only says there is a next page).
    /// </summary>
    public IResult ToFeatureCollection<TRow, TProperties>(List<TRow> rows, Func<TRow, long> id, Func<TRow, GeoJson.Feature<TProperties>> feature, HttpRequest request)
    {
        var links = new List<GeoJson.Link> { new(Microsoft.AspNetCore.Http.Extensions.UriHelper.GetEncodedPathAndQuery(request), "self") };
        if (rows.Count > EffectiveLimit)
        {
            rows.RemoveAt(rows.Count - 1);
            links.Add(new GeoJson.Link(NextPageUrl(request, id(rows[^1])), "next"));
        }
        var features = rows.ConvertAll(r => feature(r));
        return TypedResults.Json(new GeoJson.FeatureCollection<TProperties>(features, features.Count, 0, links), Json.ApiJson.Options, "application/geo+json");
    }

    /// <summary>The same request with ?after set to the last id of this page.</summary>
    public static string NextPageUrl(HttpRequest request, long lastId)
    {
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString.Value);
        query["after"] = lastId.ToString(CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(request.Path, query);
    }

    public Polygon? BboxPolygon()
    {
        if (Bbox is null) return null;
        var e = ParseBbox(Bbox, "?bbox", new ProblemCollector())!;
        return (Polygon)Wgs84.Factory.ToGeometry(e);
    }

    /// <summary>Parses "minLon,minLat,maxLon,maxLat"; null (with a problem) when malformed or out of range.</summary>
    public static Envelope? ParseBbox(string text, string pointer, ProblemCollector problems)
    {
        var parts = text.Split(',');
        var values = new double[parts.Length];
        if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) && double.IsFinite(values[i])).Any(ok => !ok))
        {
            problems.Add(pointer, "must be four numbers minLon,minLat,maxLon,maxLat (WGS84 degrees).");
            return null;
        }
        var (minX, minY, maxX, maxY) = (values[0], values[1], values[2], values[3]);
        if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90)
        {
            problems.Add(pointer, "longitudes must be within [-180, 180] and latitudes within [-90, 90].");
            return null;
        }
        if (minX > maxX || minY > maxY)
        {
            problems.Add(pointer, "min must not exceed max (minLon,minLat,maxLon,maxLat).");
            return null;
        }
        return new Envelope(minX, maxX, minY, maxY);
    }
}
