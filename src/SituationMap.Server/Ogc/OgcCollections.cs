using System.Globalization;
using System.Reflection;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using SituationMap.Server.Accounts;
using SituationMap.Server.Cameras;
using SituationMap.Server.Districts;
using SituationMap.Server.Incidents;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Patrols;
using SituationMap.Server.Zones;

namespace SituationMap.Server.Ogc;

/// <summary>One OGC API collection: an operational layer seen through the standard's query parameters.</summary>
public interface IOgcCollection
{
    string Id { get; }

    string Title { get; }

    string Description { get; }

    /// <summary>Query parameters that filter on a property (equality; comma-separated = any of).</summary>
    IReadOnlyList<string> Queryables { get; }

    Task<OgcCollectionInfo> DescribeAsync(SituationMapDb db, ClaimsPrincipal user, OgcUrls urls, CancellationToken ct);

    Task<IResult> ItemsAsync(SituationMapDb db, ClaimsPrincipal user, HttpRequest request, OgcUrls urls, CancellationToken ct);

    Task<IResult> ItemAsync(string featureId, SituationMapDb db, ClaimsPrincipal user, HttpRequest request, OgcUrls urls, CancellationToken ct);

    /// <summary>
    /// The features an items request selects, unpaged (exports): bbox, bbox-crs, datetime and the queryables read
    /// exactly as <see cref="ItemsAsync"/> reads them, plus the caller's own <paramref name="parameters"/>; ordered by
    /// id, at most <paramref name="maxRows"/>. Invalid queries add to <paramref name="problems"/> (the result is then unusable).
    /// </summary>
    OgcSelection Select(SituationMapDb db, ClaimsPrincipal user, IQueryCollection query, IReadOnlyCollection<string> parameters, int maxRows, ProblemCollector problems);

    /// <summary>
    /// The queryables as a JSON Schema (OGC API - Features Part 3): each with the type and, for coded values, the
    /// allowed values of the property it filters (from the layer's served properties), so a client can build a form.
    /// </summary>
    OgcQueryables QueryablesSchema(OgcUrls urls);
}

/// <summary>
/// A collection's rows for an export: the CLR type of their properties (the columns), the CLR type of the layer's
/// geometry, how many there are (one COUNT) and the features themselves in id order (one streamed query).
/// </summary>
public sealed record OgcSelection(Type PropertiesType, Type GeometryType, Func<CancellationToken, Task<long>> CountAsync,
    Func<CancellationToken, IAsyncEnumerable<Infrastructure.GeoJson.Feature<object>>> Features);

/// <summary>The collections, in the order the landing page lists them.</summary>
public static class OgcCatalog
{
    public static readonly IReadOnlyList<IOgcCollection> All =
    [
        new OgcCollection<IncidentLayer, Incident, IncidentWrite, IncidentProperties, IncidentFilter>(
            "Incidents", "Reported incidents (points); temporal property occurred_at.", nameof(Incident.OccurredAt)),
        new OgcCollection<CameraLayer, Camera, CameraWrite, CameraProperties, CameraFilter>("Cameras", "Video cameras (points)."),
        new OgcCollection<CameraViewLayer, Camera, CameraWrite, CameraViewProperties, CameraFilter>(
            "Camera views", "What each camera sees: its view sector(s) minus the privacy masks (polygons; feature id = camera id)."),
        new OgcCollection<PatrolRouteLayer, PatrolRoute, PatrolRouteWrite, PatrolRouteProperties, PatrolRouteFilter>(
            "Patrol routes", "Planned patrol routes (lines)."),
        new OgcCollection<PatrolUnitLayer, PatrolUnit, PatrolUnitWrite, PatrolUnitProperties, PatrolUnitFilter>(
            "Patrol units", "Patrol units at their last reported position (points)."),
        new OgcCollection<ZoneLayer, Zone, ZoneWrite, ZoneProperties, ZoneFilter>("Zones", "Zones: schools, key areas, risk areas (polygons)."),
        new OgcCollection<DistrictLayer, District, DistrictWrite, DistrictProperties, NoFilter<District>>("Districts", "Police districts (polygons)."),
    ];

    public static IOgcCollection? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}

/// <summary>
/// An OGC API collection over a layer: the rows come from <see cref="LayerEndpoints{TLayer,TEntity,TWrite,TProps,TFilter}.Selected"/>
/// (district scope, the layer's own list filter, bbox), so the OGC API and /api/{layer} select exactly the same features.
/// Paging is keyset (?after=last id, ordered by id), carried by the next link.
/// </summary>
public sealed class OgcCollection<TLayer, TEntity, TWrite, TProps, TFilter>(string title, string description, string? timeProperty = null) : IOgcCollection
    where TLayer : IFeatureLayer<TEntity, TWrite, TProps>
    where TEntity : class, ILayerEntity, new()
    where TWrite : class, IVersionedWrite
    where TFilter : IListFilter<TEntity>
{
    private static readonly ConstructorInfo FilterConstructor = typeof(TFilter).GetConstructors().Single();

    /// <summary>The filter's query parameters except from/to, which datetime replaces.</summary>
    private static readonly string[] FilterParameters = FilterConstructor.GetParameters()
        .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!)).ToArray();

    public string Id => TLayer.Name;

    public string Title => title;

    public string Description => description;

    public IReadOnlyList<string> Queryables { get; } = FilterParameters.Where(p => p is not ("from" or "to")).ToArray();

    public async Task<OgcCollectionInfo> DescribeAsync(SituationMapDb db, ClaimsPrincipal user, OgcUrls urls, CancellationToken ct)
    {
        var visible = LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>.Visible(db, user).AsNoTracking();
        var box = await SpatialExtentAsync(db, UserScope.Of(user).DistrictArray, ct) ?? [-180, -90, 180, 90];
        OgcTemporalExtent? temporal = null;
        if (timeProperty is { } time)
        {
            var times = await visible.GroupBy(_ => 1)
                .Select(g => new { Min = g.Min(e => EF.Property<DateTimeOffset>(e, time)), Max = g.Max(e => EF.Property<DateTimeOffset>(e, time)) })
                .FirstOrDefaultAsync(ct);
            temporal = new OgcTemporalExtent([[Rfc3339(times?.Min), Rfc3339(times?.Max)]], OgcApi.Gregorian);
        }
        return new OgcCollectionInfo(Id, Title, Description, new OgcExtent(new OgcSpatialExtent([box], OgcApi.Crs84), temporal),
            "feature", OgcCrs.Uris, OgcCrs.Crs84Uri,
            [
                new OgcLink(urls.Collection(Id), "self", "application/json", Title),
                new OgcLink(urls.Items(Id), "items", OgcApi.GeoJson, Title),
                new OgcLink(urls.Collection(Id) + "/queryables", OgcApi.QueryablesRel, OgcApi.SchemaJson, "queryables of " + Title),
            ]);
    }

    public OgcQueryables QueryablesSchema(OgcUrls urls)
    {
        var served = ApiJson.Options.GetTypeInfo(typeof(TProps)).Properties.ToDictionary(p => p.Name, p => p.PropertyType, StringComparer.Ordinal);
        var properties = new Dictionary<string, OgcQueryable>(StringComparer.Ordinal);
        foreach (var name in Queryables)
        {
            var type = served.TryGetValue(name, out var t) ? Nullable.GetUnderlyingType(t) ?? t : typeof(string);
            properties[name] = type.IsEnum
                ? new OgcQueryable(name, "string", (IReadOnlyList<string>)typeof(SituationMap.Analysis.Domain.WireNames)
                    .GetMethod(nameof(SituationMap.Analysis.Domain.WireNames.All))!.MakeGenericMethod(type).Invoke(null, null)!)
                : new OgcQueryable(name, type == typeof(int) || type == typeof(long) || type == typeof(short) ? "integer" : type == typeof(double) ? "number" : "string", null);
        }
        if (timeProperty is not null) properties["datetime"] = new OgcQueryable(JsonNamingPolicy.SnakeCaseLower.ConvertName(timeProperty), "string", null, "date-time");
        return new OgcQueryables("https://json-schema.org/draft/2020-12/schema", urls.Collection(Id) + "/queryables", "object", Title, properties, false);
    }

    public async Task<IResult> ItemsAsync(SituationMapDb db, ClaimsPrincipal user, HttpRequest request, OgcUrls urls, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var query = request.Query;
        var selected = Filtered(db, user, query, OgcApi.ItemParameters, problems);
        var limit = OgcApi.Limit(query["limit"], problems);
        var after = OgcApi.After(query["after"], problems);
        var crs = OgcCrs.Parse(query["crs"], "crs", problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");

        var matched = await selected.LongCountAsync(ct);
        if (after is { } a) selected = selected.Where(e => e.Id > a);
        var rows = await selected.OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);

        var links = new List<OgcLink>
        {
            new(urls.Absolute(request.GetEncodedPathAndQuery()), "self", OgcApi.GeoJson, "this page"),
            new(urls.Collection(Id), "collection", "application/json", Title),
        };
        if (rows.Count > limit)
        {
            rows.RemoveAt(rows.Count - 1);
            links.Add(new OgcLink(urls.Absolute(PageQuery.NextPageUrl(request, rows[^1].Id)), "next", OgcApi.GeoJson, "next page"));
        }
        var features = rows.ConvertAll(e => (object)Projected(LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>.ToFeature(e), crs!));
        request.HttpContext.Response.Headers["Content-Crs"] = crs!.Header;
        return OgcApi.GeoJsonResult(new OgcFeatureCollection(features, matched, features.Count, DateTimeOffset.UtcNow, links));
    }

    public async Task<IResult> ItemAsync(string featureId, SituationMapDb db, ClaimsPrincipal user, HttpRequest request, OgcUrls urls, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        var crs = OgcCrs.Parse(request.Query["crs"], "crs", problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");
        if (!long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "not-found", "Not found.", $"There is no {Id} feature with id {featureId}.");
        var entity = await LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>.Visible(db, user).AsNoTracking()
            .FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entity is null) return ApiProblems.NotFound(Id, id);
        var feature = Projected(LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>.ToFeature(entity), crs!);
        request.HttpContext.Response.Headers["Content-Crs"] = crs!.Header;
        return OgcApi.GeoJsonResult(new OgcFeature(feature.Id, feature.Geometry, feature.Properties!,
        [
            new OgcLink(urls.Item(Id, id), "self", OgcApi.GeoJson, "this feature"),
            new OgcLink(urls.Collection(Id), "collection", "application/json", Title),
        ]));
    }

    public OgcSelection Select(SituationMapDb db, ClaimsPrincipal user, IQueryCollection query, IReadOnlyCollection<string> parameters, int maxRows, ProblemCollector problems)
    {
        var rows = Filtered(db, user, query, parameters, problems).OrderBy(e => e.Id).Take(maxRows);
        return new OgcSelection(typeof(TProps), typeof(TEntity).GetProperty(TLayer.GeometryProperty)!.PropertyType,
            ct => rows.LongCountAsync(ct), ct => Features(rows, ct));

        static async IAsyncEnumerable<Infrastructure.GeoJson.Feature<object>> Features(IQueryable<TEntity> rows,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var e in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                var f = LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>.ToFeature(e);
                yield return new Infrastructure.GeoJson.Feature<object>(f.Id, f.Geometry, f.Properties!);
            }
        }
    }

    /// <summary>
    /// The rows the query's bbox (in bbox-crs), datetime and queryables select, before paging; names outside
    /// <paramref name="parameters"/> and the queryables are problems.
    /// </summary>
    private IQueryable<TEntity> Filtered(SituationMapDb db, ClaimsPrincipal user, IQueryCollection query, IReadOnlyCollection<string> parameters, ProblemCollector problems)
    {
        foreach (var name in query.Keys.Where(k => !parameters.Contains(k) && !Queryables.Contains(k)))
        {
            problems.Add("?" + name, $"is not a parameter of collection {Id}; use " +
                string.Join(", ", parameters.Where(p => p is not ("after" or "f")).Concat(Queryables)) + ".");
        }
        var bboxCrs = OgcCrs.Parse(query["bbox-crs"], "bbox-crs", problems);
        var box = query["bbox"] is { Count: > 0 } b && bboxCrs is not null ? bboxCrs.BboxToCrs84(b.ToString(), problems) : null;
        var window = query["datetime"] is { Count: > 0 } d ? ParseDatetime(d.ToString(), problems) : null;
        var filter = (TFilter)FilterConstructor.Invoke(FilterParameters
            .Select(p => Queryables.Contains(p) && query[p] is { Count: > 0 } v ? (object?)v.ToString() : null).ToArray());
        filter.Validate(problems);
        if (problems.Any) return Enumerable.Empty<TEntity>().AsQueryable();

        var selected = LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>.Selected(db, user, filter, box);
        if (window is { } w && timeProperty is { } time)
        {
            if (w.Start is { } start) selected = selected.Where(e => EF.Property<DateTimeOffset>(e, time) >= start);
            if (w.End is { } end) selected = selected.Where(e => EF.Property<DateTimeOffset>(e, time) <= end);
        }
        return selected;
    }

    /// <summary>
    /// [minLon, minLat, maxLon, maxLat] of the features in the given districts (all with null), null when there are
    /// none: ST_Extent over the layer's table (one sequential pass; the table, geometry and district columns come from
    /// the EF model, never from input).
    /// </summary>
    private static async Task<double[]?> SpatialExtentAsync(SituationMapDb db, string[]? districts, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(TEntity))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => entity.FindProperty(property)!.GetColumnName(table)!;
        var sql = $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent({Column(TLayer.GeometryProperty)}) AS e " +
            $"FROM {entity.GetTableName()} WHERE $1::text[] IS NULL OR {Column(TLayer.DistrictProperty)} = ANY($1)) AS x";
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)districts ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct) || await reader.IsDBNullAsync(0, ct)) return null;
            return [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)];
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// datetime: an instant, or an interval start/end where either end may be open (".." or empty); both ends are
    /// inclusive. Collections without a temporal property refuse it rather than ignoring it.
    /// </summary>
    private (DateTimeOffset? Start, DateTimeOffset? End)? ParseDatetime(string raw, ProblemCollector problems)
    {
        if (timeProperty is null)
        {
            problems.Add("?datetime", $"collection {Id} has no temporal property.");
            return null;
        }
        var parts = raw.Split('/');
        if (parts.Length > 2 || (parts.Length == 2 && parts.All(IsOpen)))
        {
            problems.Add("?datetime", "expected an instant or an interval start/end with at most one open end (..), e.g. ../2026-01-01T00:00:00Z.");
            return null;
        }
        if (parts.Length == 1)
        {
            var instant = FilterValues.Time(raw, "datetime", problems);
            return instant is null ? null : (instant, instant);
        }
        var start = IsOpen(parts[0]) ? null : FilterValues.Time(parts[0], "datetime", problems);
        var end = IsOpen(parts[1]) ? null : FilterValues.Time(parts[1], "datetime", problems);
        if (start > end) problems.Add("?datetime", "the interval's start is after its end.");
        return (start, end);

        static bool IsOpen(string part) => part is "" or "..";
    }

    private static Infrastructure.GeoJson.Feature<TProps> Projected(Infrastructure.GeoJson.Feature<TProps> feature, OgcCrs crs) =>
        crs.IsStorage ? feature : feature with { Geometry = crs.Project(feature.Geometry) };

    private static string? Rfc3339(DateTimeOffset? t) =>
        t?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
