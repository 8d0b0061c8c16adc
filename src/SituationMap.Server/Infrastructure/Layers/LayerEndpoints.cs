using System.Data;
using System.Reflection;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Infrastructure.Layers;

/// <summary>
/// The REST API of one layer, the same for all: GET list (bbox, filters, keyset paging, the change-log position of
/// the snapshot), GET one (ETag = version), GET history, POST, PUT (version from If-Match → 412, or
/// properties.version → 409), DELETE (optional If-Match). Reading needs permission "read", writing the layer's
/// write permission. A district-scoped account only ever sees features of its districts (others are 404, never
/// 403, so nothing leaks) and cannot put a feature outside them (403). Every write runs in one transaction with its
/// change-log and audit rows (written by triggers) and answers with X-Change-Seq, the sequence number of the live
/// event it produced.
/// </summary>
public static class LayerEndpoints<TLayer, TEntity, TWrite, TProps, TFilter>
    where TLayer : IFeatureLayer<TEntity, TWrite, TProps>
    where TEntity : class, ILayerEntity, new()
    where TWrite : class, IVersionedWrite
    where TFilter : IListFilter<TEntity>
{
    public const string GeoJson = "application/geo+json";

    private static readonly PropertyInfo DistrictGetter = typeof(TEntity).GetProperty(TLayer.DistrictProperty)
        ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no property {TLayer.DistrictProperty}.");

    public static RouteGroupBuilder Map(IEndpointRouteBuilder app, string pascalName)
    {
        var group = app.MapGroup("/api/" + TLayer.Route).WithTags(pascalName).RequireAuthorization(Permissions.Read);
        group.MapGet("/", List).WithName("List" + pascalName)
            .Produces<FeatureCollection<TProps>>(StatusCodes.Status200OK, GeoJson).ProducesValidationProblem();
        group.MapGet("/{id:long}", Get).WithName("Get" + pascalName)
            .Produces<Feature<TProps>>(StatusCodes.Status200OK, GeoJson).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:long}/history", History).WithName("Get" + pascalName + "History")
            .Produces<FeatureHistory>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        Write(group.MapPost("/", Create).WithName("Create" + pascalName)
            .Accepts<FeatureRequest<TWrite>>(GeoJson, "application/json")
            .Produces<Feature<TProps>>(StatusCodes.Status201Created, GeoJson).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict));
        Write(group.MapPut("/{id:long}", Replace).WithName("Replace" + pascalName)
            .Accepts<FeatureRequest<TWrite>>(GeoJson, "application/json")
            .Produces<Feature<TProps>>(StatusCodes.Status200OK, GeoJson).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired));
        Write(group.MapDelete("/{id:long}", Delete).WithName("Delete" + pascalName)
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed));
        return group;
    }

    /// <summary>The layer's write permission and the per-account write rate limit.</summary>
    public static RouteHandlerBuilder Write(RouteHandlerBuilder endpoint) =>
        endpoint.RequireAuthorization(TLayer.WritePermission).RequireRateLimiting(AuthSetup.WriteLimit)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status429TooManyRequests);

    public static Feature<TProps> ToFeature(TEntity entity) => LayerFeatures.ToFeature<TLayer, TEntity, TWrite, TProps>(entity);

    public static IResult FeatureResult(TEntity entity, int status = StatusCodes.Status200OK, HttpResponse? response = null)
    {
        response?.Headers.ETag = Preconditions.ETagFor(entity.Version);
        return TypedResults.Json(ToFeature(entity), ApiJson.Options, GeoJson, status);
    }

    public static string? DistrictOf(TEntity entity) => (string?)DistrictGetter.GetValue(entity);

    /// <summary>The layer's rows this account may see (all of them, or those in its districts).</summary>
    public static IQueryable<TEntity> Visible(SituationMapDb db, ClaimsPrincipal user)
    {
        var query = db.Set<TEntity>().AsQueryable();
        if (UserScope.Of(user).DistrictArray is not { } districts) return query;
        var property = TLayer.DistrictProperty;
        return query.Where(e => districts.Contains(EF.Property<string>(e, property)));
    }

    /// <summary>
    /// The rows a list request selects (also the OGC API items): visible to the account, passing the layer's validated
    /// filter and, with a box, intersecting it (ST_Intersects, which uses the GiST index on geom through &amp;&amp;).
    /// </summary>
    public static IQueryable<TEntity> Selected(SituationMapDb db, ClaimsPrincipal user, TFilter filter, NetTopologySuite.Geometries.Polygon? box)
    {
        var query = filter.Apply(Visible(db, user).AsNoTracking());
        var geometryProperty = TLayer.GeometryProperty;
        if (box is not null)
            query = query.Where(e => EF.Property<NetTopologySuite.Geometries.Geometry>(e, geometryProperty).Intersects(box));
        return query;
    }

    public static async Task<IResult> List([AsParameters] TFilter filter, [AsParameters] PageQuery page,
        SituationMapDb db, HttpRequest request, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new ProblemCollector();
        page.Validate(problems);
        filter.Validate(problems);
        if (problems.Any) return problems.ToResult("The query is invalid.");

        var query = Selected(db, user, filter, page.BboxPolygon());
        if (page.After is { } after) query = query.Where(e => e.Id > after);
        query = query.OrderBy(e => e.Id).Take(page.EffectiveLimit + 1);

        // one snapshot for the rows and the change-log position, so "since = change_seq" resumes exactly here
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var seq = await ChangeSeq.CurrentAsync(db, ct);
        var rows = await query.ToListAsync(ct);
        await tx.CommitAsync(ct);

        var hasMore = rows.Count > page.EffectiveLimit;
        if (hasMore) rows.RemoveAt(rows.Count - 1);
        var links = new List<Link> { new(request.GetEncodedPathAndQuery(), "self") };
        if (hasMore) links.Add(new Link(PageQuery.NextPageUrl(request, rows[^1].Id), "next"));
        var collection = new FeatureCollection<TProps>(rows.ConvertAll(ToFeature), rows.Count, seq, links);
        return TypedResults.Json(collection, ApiJson.Options, GeoJson);
    }

    public static async Task<IResult> Get(long id, SituationMapDb db, ClaimsPrincipal user, HttpResponse response, CancellationToken ct)
    {
        var entity = await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        return entity is null ? ApiProblems.NotFound(TLayer.Name, id) : FeatureResult(entity, response: response);
    }

    /// <summary>The feature's recent changes (?limit 1-200, default 20), newest first, each as the feature after it.</summary>
    public static async Task<IResult> History(long id, int? limit, SituationMapDb db, ClaimsPrincipal user, Live.ChangeLogReader log, CancellationToken ct)
    {
        if (limit is < 1 or > 200) return ApiProblems.Single("?limit", "must be between 1 and 200.");
        var scoped = UserScope.Of(user).IsScoped;
        var exists = await Visible(db, user).AnyAsync(e => e.Id == id, ct);
        if (scoped && !exists) return ApiProblems.NotFound(TLayer.Name, id);
        var changes = await log.HistoryAsync(TLayer.Name, id, limit ?? 20, ct);
        if (changes.Count == 0 && !exists) return ApiProblems.NotFound(TLayer.Name, id);
        return TypedResults.Json(new FeatureHistory(TLayer.Name, id, changes), ApiJson.Options);
    }

    public static async Task<IResult> Create(HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var (input, problem) = await FeatureReader.ReadAsync<TWrite>(request, TLayer.GeometryRule, ct);
        if (problem is not null) return problem;
        var entity = new TEntity();
        return await SaveAsync(db, user, entity, input!, existing: null, request.HttpContext.Response, StatusCodes.Status201Created, ct);
    }

    public static async Task<IResult> Replace(long id, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var (input, problem) = await FeatureReader.ReadAsync<TWrite>(request, TLayer.GeometryRule, ct);
        if (problem is not null) return problem;
        var entity = await Visible(db, user).FirstOrDefaultAsync(e => e.Id == id, ct);
        if (entity is null) return ApiProblems.NotFound(TLayer.Name, id);
        var check = CheckVersion(entity, Preconditions.IfMatchVersion(request), input!.Properties.Version);
        if (check is not null) return check;
        return await SaveAsync(db, user, entity, input, existing: entity, request.HttpContext.Response, StatusCodes.Status200OK, ct);
    }

    /// <summary>Validates, applies and saves; the caller has already checked the version of an existing entity.</summary>
    public static async Task<IResult> SaveAsync(SituationMapDb db, ClaimsPrincipal user, TEntity entity, FeatureInput<TWrite> input, TEntity? existing,
        HttpResponse response, int status, CancellationToken ct)
    {
        if (existing is not null && TLayer.Conflict(input.Properties, existing) is { } conflict) return conflict;
        var problems = new ProblemCollector();
        TLayer.Validate(input.Properties, existing, problems);
        if (problems.Any) return problems.ToResult();
        var expectedVersion = entity.Version;
        TLayer.Apply(input.Properties, input.Geometry, entity);
        await TLayer.PrepareAsync(db, entity, problems, ct);
        if (problems.Any) return problems.ToResult();
        if (OutsideScope(user, entity) is { } outside) return outside;
        if (existing is null) db.Add(entity);
        else db.Entry(entity).Property(e => e.Version).OriginalValue = expectedVersion;
        return await CommitAsync(db, entity, response, status, ct);
    }

    /// <summary>403 when a district-scoped account would put the feature outside its districts.</summary>
    public static IResult? OutsideScope(ClaimsPrincipal user, TEntity entity)
    {
        var scope = UserScope.Of(user);
        var district = DistrictOf(entity);
        return scope.Allows(district) ? null : ApiProblems.Problem(StatusCodes.Status403Forbidden, "outside-scope", "Outside your districts.",
            $"This {TLayer.Name} feature would lie outside your districts ({string.Join(", ", scope.DistrictArray!)}).");
    }

    /// <summary>Saves tracked changes in one transaction with their change-log row; maps conflicts to 409/4xx.</summary>
    public static async Task<IResult> CommitAsync(SituationMapDb db, TEntity entity, HttpResponse response, int status, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            var txid = await ChangeSeq.TransactionIdAsync(db, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            ChangeSeq.SetHeader(response, await ChangeSeq.OfTransactionAsync(db, txid, ct));
        }
        catch (DbUpdateConcurrencyException)
        {
            await tx.RollbackAsync(ct);
            var current = await db.Set<TEntity>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == entity.Id, ct);
            return current is null ? ApiProblems.NotFound(TLayer.Name, entity.Id) : StaleVersion(current, StatusCodes.Status409Conflict);
        }
        catch (DbUpdateException e) when (DatabaseErrors.ToProblem(e) is { } problem)
        {
            await tx.RollbackAsync(ct);
            return problem;
        }
        if (status == StatusCodes.Status201Created) response.Headers.Location = $"/api/{TLayer.Route}/{entity.Id}";
        return FeatureResult(entity, status, response);
    }

    public static async Task<IResult> Delete(long id, HttpRequest request, SituationMapDb db, ClaimsPrincipal user, CancellationToken ct)
    {
        var ifMatch = Preconditions.IfMatchVersion(request);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var query = Visible(db, user).Where(e => e.Id == id);
        if (ifMatch is { } v) query = query.Where(e => e.Version == v);
        var deleted = await query.ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            await tx.RollbackAsync(ct);
            var current = await Visible(db, user).AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
            return current is null ? ApiProblems.NotFound(TLayer.Name, id) : StaleVersion(current, StatusCodes.Status412PreconditionFailed);
        }
        var txid = await ChangeSeq.TransactionIdAsync(db, ct);
        await tx.CommitAsync(ct);
        ChangeSeq.SetHeader(request.HttpContext.Response, await ChangeSeq.OfTransactionAsync(db, txid, ct));
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Null when the write may proceed. If-Match wins over properties.version; one of them is required (428), because
    /// a replacement without the version it was based on could silently undo someone else's change.
    /// </summary>
    public static IResult? CheckVersion(TEntity current, int? ifMatch, int? bodyVersion)
    {
        if (ifMatch is { } m) return m == current.Version ? null : StaleVersion(current, StatusCodes.Status412PreconditionFailed);
        if (bodyVersion is { } b) return b == current.Version ? null : StaleVersion(current, StatusCodes.Status409Conflict);
        return ApiProblems.Problem(StatusCodes.Status428PreconditionRequired, "version-required", "Version required.",
            $"Send the version you edited: header If-Match: \"{current.Version}\" or properties.version = {current.Version}.",
            new Dictionary<string, object?> { ["current_version"] = current.Version });
    }

    public static IResult StaleVersion(TEntity current, int status) => ApiProblems.Problem(status, "stale-version",
        "The feature has changed since you read it.",
        $"{TLayer.Name} {current.Id} is at version {current.Version}; reload it, reapply your change and send that version.",
        new Dictionary<string, object?> { ["current_version"] = current.Version, ["current"] = ToFeature(current) });
}

/// <summary>A feature's recent changes (from the change log, so the last Live:Retention days), newest first.</summary>
public sealed record FeatureHistory(string Layer, long Id, IReadOnlyList<Live.LiveChange> Changes);

/// <summary>Write contracts carry the version they were based on (optional when If-Match is used).</summary>
public interface IVersionedWrite
{
    int? Version { get; }
}

/// <summary>The request body of a write, for the OpenAPI document: a GeoJSON Feature with the layer's write properties.</summary>
public sealed record FeatureRequest<TWrite>(string Type, NetTopologySuite.Geometries.Geometry Geometry, TWrite Properties);
