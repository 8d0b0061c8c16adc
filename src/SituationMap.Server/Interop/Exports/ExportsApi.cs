using System.Security.Claims;
using Microsoft.Extensions.Primitives;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Interop.Formats;
using SituationMap.Server.Ogc;

namespace SituationMap.Server.Interop.Exports;

/// <summary>
/// GET /api/exports/{collection}.{extension} — a filtered selection of an OGC collection as a file: GeoJSON, CSV,
/// GeoPackage, zipped Shapefile or KML. The query is the OGC items query without paging (bbox, bbox-crs, datetime, the
/// collection's queryables) and the rows are exactly those the items would page through: the account's districts
/// only, ordered by id, at most <see cref="MaxRows"/>. Incident free text is redacted unless ?redact=false. Needs
/// permission export; every export is audited (format, query, rows, redacted) before the file is written.
/// </summary>
public static class ExportsApi
{
    public const int MaxRows = 1_000_000;

    /// <summary>The parameters an export understands besides the collection's queryables.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["bbox", "bbox-crs", "datetime", "redact"];

    /// <summary>Free-text properties that may carry personal data, per collection (as in the incident CSV export).</summary>
    private static readonly Dictionary<string, string[]> FreeText = new(StringComparer.Ordinal) { ["incidents"] = ["description", "address"] };

    public static RouteHandlerBuilder MapExportsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/exports/{file}", Export).WithTags("Exports").WithName("ExportCollection")
            .RequireAuthorization(Permissions.Export)
            .Produces(StatusCodes.Status200OK, responseType: null, contentType: "application/geo+json",
                additionalContentTypes: ["text/csv", "application/geopackage+sqlite3", "application/zip", "application/vnd.google-earth.kml+xml"])
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

    /// <param name="file">collection id and format extension: geojson, csv, gpkg, shp.zip (or zip), kml; e.g. incidents.gpkg</param>
    public static async Task<IResult> Export(string file, SituationMapDb db, ClaimsPrincipal user, HttpRequest request, CancellationToken ct)
    {
        var dot = file.IndexOf('.', StringComparison.Ordinal);
        if (OgcCatalog.Find(dot < 0 ? file : file[..dot]) is not { } collection) return OgcApi.UnknownCollection(dot < 0 ? file : file[..dot]);
        var problems = new ProblemCollector();
        var writer = dot < 0 ? null : ExportFormats.Find(file[(dot + 1)..]);
        if (writer is null) problems.Add("{file}", $"must end with a format: {string.Join(", ", ExportFormats.Extensions.Select(e => "." + e))}.");
        var redact = Redact(request.Query["redact"], problems);
        var selection = collection.Select(db, user, request.Query, Parameters, MaxRows, problems);
        if (problems.Any) return problems.ToResult("The export request is invalid.");

        var rows = await selection.CountAsync(ct);
        await AuditContext.RecordExportAsync(db, collection.Id, new { format = writer!.Format, query = request.QueryString.Value, rows, redacted = redact }, ct);
        var layer = new ExportLayer(collection.Id, ExportColumns.GeometryTypeOf(selection.GeometryType), ExportColumns.For(selection.PropertiesType).Fields);
        var features = Features(selection, layer, redact ? FreeText.GetValueOrDefault(collection.Id, []) : [], ct);
        return TypedResults.Stream(output => writer.WriteAsync(output, layer, features, ct), writer.ContentType, collection.Id + writer.Extension);
    }

    /// <summary>?redact: true (the default) or false.</summary>
    private static bool Redact(StringValues raw, ProblemCollector problems)
    {
        if (raw.Count == 0) return true;
        if (bool.TryParse(raw.ToString(), out var redact)) return redact;
        problems.Add("?redact", "must be true or false.");
        return true;
    }

    /// <summary>The selected features as export rows: properties flattened, free text redacted, lines and areas as their multi type.</summary>
    private static async IAsyncEnumerable<ExportFeature> Features(OgcSelection selection, ExportLayer layer, string[] redacted,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var columns = ExportColumns.For(selection.PropertiesType);
        var redactedIndexes = redacted.Select(name => layer.Fields.ToList().FindIndex(f => f.Name == name)).Where(i => i >= 0).ToArray();
        await foreach (var feature in selection.Features(ct).WithCancellation(ct))
        {
            var values = columns.Values(feature.Properties);
            foreach (var i in redactedIndexes) values[i] = Privacy.PersonalDataRedactor.Redact(values[i] as string);
            yield return new ExportFeature(feature.Id, ExportColumns.Promote(feature.Geometry, layer.GeometryType), values);
        }
    }
}
