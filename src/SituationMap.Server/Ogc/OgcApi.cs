using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Primitives;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Ogc;

/// <summary>
/// OGC API - Features Part 1 (Core, GeoJSON) under /ogc, so GIS clients (QGIS, GDAL's OAPIF driver, ArcGIS) read the
/// operational layers directly. Read-only; needs permission "read" like the rest of the API and honours the account's
/// district scope exactly as /api/{layer} does. Coordinates are CRS84 (lon, lat), the storage CRS, unless
/// ?crs asks for another of <see cref="OgcCrs.Supported"/> (Part 2; the answer names it in Content-Crs).
/// </summary>
public static class OgcApi
{
    public const string GeoJson = "application/geo+json";
    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    public const string Gregorian = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian";
    public const string SchemaJson = "application/schema+json";
    public const string QueryablesRel = "http://www.opengis.net/def/rel/ogc/1.0/queryables";
    public const int DefaultLimit = 100;
    public const int MaxLimit = 10_000;

    public static readonly IReadOnlyList<string> ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    ];

    /// <summary>The parameters every items request understands (f: the format, only json/geojson).</summary>
    public static readonly IReadOnlySet<string> ItemParameters = new HashSet<string> { "bbox", "bbox-crs", "crs", "datetime", "limit", "after", "f" };

    public static RouteGroupBuilder MapOgcApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ogc").WithTags("Ogc").RequireAuthorization(Permissions.Read);
        group.MapGet("/", Landing).WithName("OgcLandingPage").Produces<OgcLandingPage>();
        group.MapGet("/conformance", Conformance).WithName("OgcConformance").Produces<OgcConformance>();
        group.MapGet("/collections", Collections).WithName("OgcCollections").Produces<OgcCollections>();
        group.MapGet("/collections/{collectionId}", Collection).WithName("OgcCollection")
            .Produces<OgcCollectionInfo>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/collections/{collectionId}/queryables", Queryables).WithName("OgcQueryables")
            .Produces<OgcQueryables>(StatusCodes.Status200OK, SchemaJson).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/collections/{collectionId}/items", Items).WithName("OgcItems")
            .Produces<OgcFeatureCollection>(StatusCodes.Status200OK, GeoJson).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/collections/{collectionId}/items/{featureId}", Item).WithName("OgcItem")
            .Produces<OgcFeature>(StatusCodes.Status200OK, GeoJson).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static IResult Landing(HttpRequest request)
    {
        var urls = OgcUrls.Of(request);
        return Json(new OgcLandingPage("SituationMap", "Operational layers of the SituationMap command-centre map (OGC API - Features).",
        [
            new OgcLink(urls.Absolute("/ogc"), "self", "application/json", "this document"),
            new OgcLink(urls.Absolute("/openapi/v1.json"), "service-desc", "application/vnd.oai.openapi+json;version=3.0", "the API definition"),
            new OgcLink(urls.Absolute("/ogc/conformance"), "conformance", "application/json", "conformance classes"),
            new OgcLink(urls.Absolute("/ogc/collections"), "data", "application/json", "the collections"),
        ]));
    }

    public static IResult Conformance() => Json(new OgcConformance(ConformanceClasses));

    public static async Task<IResult> Collections(HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var urls = OgcUrls.Of(request);
        var collections = new List<OgcCollectionInfo>();
        foreach (var collection in OgcCatalog.All) collections.Add(await collection.DescribeAsync(db, user, urls, ct));
        return Json(new OgcCollections(collections, [new OgcLink(urls.Absolute("/ogc/collections"), "self", "application/json", "this document")]));
    }

    public static async Task<IResult> Collection(string collectionId, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct) =>
        OgcCatalog.Find(collectionId) is { } collection
            ? Json(await collection.DescribeAsync(db, user, OgcUrls.Of(request), ct))
            : UnknownCollection(collectionId);

    public static IResult Queryables(string collectionId, HttpRequest request) =>
        OgcCatalog.Find(collectionId) is { } collection
            ? TypedResults.Json(collection.QueryablesSchema(OgcUrls.Of(request)), ApiJson.Options, SchemaJson)
            : UnknownCollection(collectionId);

    public static async Task<IResult> Items(string collectionId, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct) =>
        OgcCatalog.Find(collectionId) is { } collection
            ? await collection.ItemsAsync(db, user, request, OgcUrls.Of(request), ct)
            : UnknownCollection(collectionId);

    public static async Task<IResult> Item(string collectionId, string featureId, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct) =>
        OgcCatalog.Find(collectionId) is { } collection
            ? await collection.ItemAsync(featureId, db, user, request, OgcUrls.Of(request), ct)
            : UnknownCollection(collectionId);

    public static IResult UnknownCollection(string id) => ApiProblems.Problem(StatusCodes.Status404NotFound, "not-found", "Not found.",
        $"There is no collection '{(id.Length > 40 ? id[..40] + "…" : id)}'; collections: {string.Join(", ", OgcCatalog.All.Select(c => c.Id))}.");

    /// <summary>limit: 1 … 10,000, default 100.</summary>
    public static int Limit(StringValues raw, ProblemCollector problems)
    {
        if (raw.Count == 0) return DefaultLimit;
        if (int.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit) return limit;
        problems.Add("?limit", $"must be an integer between 1 and {MaxLimit}.");
        return DefaultLimit;
    }

    /// <summary>after: the keyset cursor the next link carries (the last id of the previous page).</summary>
    public static long? After(StringValues raw, ProblemCollector problems)
    {
        if (raw.Count == 0) return null;
        if (long.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var after)) return after;
        problems.Add("?after", "must be an id (0 or more).");
        return null;
    }

    public static IResult Json<T>(T document) => TypedResults.Json(document, ApiJson.Options);

    public static IResult GeoJsonResult<T>(T document) => TypedResults.Json(document, ApiJson.Options, GeoJson);
}

/// <summary>Absolute links for OGC documents (clients resolve them against nothing else).</summary>
public sealed record OgcUrls(string Base)
{
    public static OgcUrls Of(HttpRequest request) => new($"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}");

    public string Absolute(string pathAndQuery) => Base + pathAndQuery;

    public string Collection(string id) => Base + "/ogc/collections/" + id;

    public string Items(string id) => Collection(id) + "/items";

    public string Item(string id, long featureId) => Items(id) + "/" + featureId.ToString(CultureInfo.InvariantCulture);
}
