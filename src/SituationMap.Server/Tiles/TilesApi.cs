using System.Security.Cryptography;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Infrastructure.Json;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Tiles;

public static class TilesApi
{
    public const string MvtContentType = "application/vnd.mapbox-vector-tile";

    public static IServiceCollection AddTiles(this IServiceCollection services) => services.AddSingleton<TileQuery>();

    public static RouteGroupBuilder MapTilesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tiles").WithTags("Tiles").RequireAuthorization(Accounts.Permissions.Read);
        group.MapGet("/{layer}/{z:int}/{x:int}/{y}", GetTile).WithName("GetTile")
            .Produces(StatusCodes.Status200OK, contentType: MvtContentType).Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status304NotModified).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{layer}.json", GetTileJson).WithName("GetTileJson").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    /// <summary>
    /// GET /tiles/{layer}/{z}/{x}/{y}.mvt — 200 with the tile, 204 when empty, 304 when If-None-Match equals the ETag
    /// (a hash of the bytes). Cache-Control: private, no-cache: the data is live and depends on who asks (district
    /// scope), so clients revalidate every time and shared caches keep nothing.
    /// incidents also take ?from, ?to (occurred_at window) and ?category (comma-separated).
    /// </summary>
    public static async Task<IResult> GetTile(string layer, int z, int x, string y, string? from, string? to, string? category,
        TileQuery tiles, HttpContext context, CancellationToken ct)
    {
        if (!TileLayers.All.TryGetValue(layer, out var tileLayer)) return UnknownLayer(layer);
        var problems = new ProblemCollector();
        var request = Parse(z, x, y, from, to, category, problems);
        if (request is null) return problems.ToResult("The tile request is invalid.");
        request = request with { Districts = Accounts.UserScope.Of(context.User).DistrictArray };

        var bytes = await tiles.RenderAsync(tileLayer, request, ct);
        var response = context.Response;
        response.Headers.CacheControl = "private, no-cache";
        response.Headers.Vary = "Accept-Encoding, Cookie, Authorization";
        if (bytes.Length == 0) return TypedResults.NoContent();
        var etag = "\"" + Convert.ToBase64String(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
        response.Headers.ETag = etag;
        if (context.Request.Headers.IfNoneMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() == etag)))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Bytes(bytes, MvtContentType);
    }

    /// <summary>TileJSON 3.0.0 for a layer, with the URL template and the fields of each MVT layer.</summary>
    public static IResult GetTileJson(string layer, HttpRequest request)
    {
        if (!TileLayers.All.TryGetValue(layer, out var l)) return UnknownLayer(layer);
        var baseUrl = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return TypedResults.Json(new
        {
            tilejson = "3.0.0",
            name = l.Name,
            tiles = new[] { $"{baseUrl}/tiles/{l.Name}/{{z}}/{{x}}/{{y}}.mvt" },
            minzoom = l.MinZoom,
            maxzoom = l.MaxZoom,
            vector_layers = l.VectorLayers.Select(v => new { id = v.Id, fields = v.Fields, description = v.Description }),
        }, ApiJson.Options);
    }

    private static TileRequest? Parse(int z, int x, string y, string? from, string? to, string? category, ProblemCollector problems)
    {
        if (z is < 0 or > 22) problems.Add("/z", "zoom must be within [0, 22].");
        var yText = y.EndsWith(".mvt", StringComparison.Ordinal) ? y[..^4] : y;
        if (!int.TryParse(yText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var yValue))
            problems.Add("/y", "must be a tile row followed by .mvt, e.g. 6543.mvt.");
        if (problems.Any) return null;
        var n = 1L << z;
        if (x < 0 || x >= n) problems.Add("/x", $"must be within [0, {n - 1}] at zoom {z}.");
        if (yValue < 0 || yValue >= n) problems.Add("/y", $"must be within [0, {n - 1}] at zoom {z}.");
        var f = FilterValues.Time(from, "from", problems);
        var t = FilterValues.Time(to, "to", problems);
        FilterValues.Window(f, t, problems);
        var categories = FilterValues.Enums<IncidentCategory>(category, "category", problems)?.Select(WireNames.Of).ToArray();
        return problems.Any ? null : new TileRequest(z, x, yValue, f, t, categories);
    }

    private static IResult UnknownLayer(string layer) => ApiProblems.Problem(StatusCodes.Status404NotFound, "unknown-layer",
        "Unknown tile layer.", $"There is no tile layer '{(layer.Length > 40 ? layer[..40] + "…" : layer)}'; layers: {string.Join(", ", TileLayers.All.Keys)}.");
}
