using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Districts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Interop.Formats;

namespace SituationMap.Server.Interop.Imports;

/// <summary>
/// The import pipeline, shared by the API and the command line: open each file (<see cref="ImportSources"/>), map every
/// row to the layer's write properties (<see cref="FieldMapper"/>), convert and check its geometry
/// (<see cref="ImportGeometry"/>), build the entity with the layer's own rules and district scope
/// (<see cref="IImportTarget"/>), then write all accepted rows in one transaction (<see cref="LayerBulkWriter"/>) —
/// or, for a dry run, do the same and roll it back. Atomic mode writes nothing when any row is rejected; skip_bad_rows
/// writes the good rows. Live maps get one "reloaded" event per import; the audit trail one "import" row.
/// Memory: the accepted entities of one import are held until they are written (≈ 1 KB per incident).
/// </summary>
public sealed class ImportRunner(SituationMapDb db, NpgsqlDataSource dataSource)
{
    public async Task<ImportReport> RunAsync(IReadOnlyList<ImportFile> files, ImportOptions options, UserScope scope, AuditActor? actor,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var problems = new ProblemCollector();
        var target = ImportTargets.Find(options.Layer);
        if (target is null) problems.Add("/options/layer", $"must be one of: {ImportTargets.Names}.");
        if (options.Mode is not (null or ImportOptions.Atomic or ImportOptions.SkipBadRows))
            problems.Add("/options/mode", $"must be {ImportOptions.Atomic} or {ImportOptions.SkipBadRows}.");
        if (options.Source is { } s) PropertyRules.Code(s, "source", 64, problems);
        if (files.Count == 0) problems.Add("/files", "give at least one file.");
        if (problems.Any) throw new ImportRefusedException(problems.ToDictionary());

        var districts = await DistrictIndex.LoadAsync(db, ct);
        var accepted = new List<object>();
        var rejects = new List<ImportReject>();
        var seenKeys = new Dictionary<string, (string File, long Row)>(StringComparer.Ordinal);
        var mappedColumns = new HashSet<string>(StringComparer.Ordinal) { "geom", "district" };
        string crsUsed = "";
        long rowsRead = 0;
        for (var f = 0; f < files.Count; f++)
        {
            var file = files[f];
            using var source = ImportSources.Open(file, options, problems);
            if (source is null) throw new ImportRefusedException(problems.ToDictionary());
            var mapper = FieldMapper.Create(target!.WriteType, options, source.Columns, problems);
            var geometry = ImportGeometry.For(options.Crs, source.DeclaredCrs, problems);
            if (mapper is null || geometry is null) throw new ImportRefusedException(Prefixed(problems, file.Name));
            crsUsed = geometry.CrsId;
            foreach (var field in mapper.MappedFields) mappedColumns.Add(field);
            var sourceName = options.Source ?? "import";
            foreach (var row in source.Read(ct))
            {
                rowsRead++;
                if (rowsRead % 2000 == 0) progress?.Report(new ImportProgress("reading", rowsRead, (f + source.Progress) / files.Count));
                var rowProblems = new ProblemCollector();
                var entity = BuildRow(row, target, mapper, geometry, sourceName, districts, scope, rowProblems);
                if (entity is not null && entity.ExternalId is { } key)
                {
                    if (seenKeys.TryGetValue(key, out var first))
                    {
                        rowProblems.Add("external_id", $"'{key}' was already given by {first.File} row {first.Row}; an import holds each external id once.");
                        entity = null;
                    }
                    else
                    {
                        seenKeys[key] = (file.Name, row.Row);
                    }
                }
                if (entity is not null) accepted.Add(entity);
                else
                {
                    foreach (var (field, messages) in rowProblems.ToDictionary())
                        foreach (var message in messages)
                            rejects.Add(new ImportReject(file.Name, row.Row, FieldName(field), message));
                }
            }
        }

        var dryRun = options.DryRun == true;
        var mode = options.Mode ?? ImportOptions.Atomic;
        var rejectedRows = rejects.Select(r => (r.File, r.Row)).Distinct().Count();
        var write = !(rejectedRows > 0 && !options.SkipsBadRows);
        var counts = new UpsertCounts(0, 0, 0);
        if ((write || dryRun) && accepted.Count > 0)
        {
            progress?.Report(new ImportProgress("writing", rowsRead, 1));
            counts = await WriteAsync(target!, accepted, mappedColumns, files, options, actor, rejectedRows, dryRun, ct);
        }
        progress?.Report(new ImportProgress("done", rowsRead, 1));
        return new ImportReport(target!.Layer, files.Select(f => f.Name).ToArray(), crsUsed, dryRun, mode, rowsRead, accepted.Count, rejectedRows,
            counts.Created, counts.Updated, counts.Unchanged, write && !dryRun && accepted.Count > 0, clock.Elapsed.TotalSeconds, rejects);
    }

    private static IExternallyKeyed? BuildRow(SourceFeature row, IImportTarget target, FieldMapper mapper, ImportGeometry geometry, string sourceName,
        DistrictIndex districts, UserScope scope, ProblemCollector problems)
    {
        if (row.Problem is not null)
        {
            problems.Add("row", row.Problem);
            return null;
        }
        if (row.Geometry is null)
        {
            problems.Add("geometry", "missing coordinates: the row has no geometry.");
            return null;
        }
        var externalId = mapper.ExternalId(row, problems);
        if (externalId is not null) PropertyRules.Text(externalId, "external_id", 128, problems);
        using var properties = mapper.Map(row, problems);
        var wgs84 = geometry.ToLayer(row.Geometry, target.GeometryRule, problems);
        if (problems.Any || wgs84 is null) return null;
        var source = mapper.SourceOf(row) ?? sourceName;
        return target.Build(properties.RootElement, wgs84, source, externalId, districts, scope, problems);
    }

    private async Task<UpsertCounts> WriteAsync(IImportTarget target, List<object> rows, IReadOnlySet<string> mappedColumns, IReadOnlyList<ImportFile> files,
        ImportOptions options, AuditActor? actor, int rejected, bool dryRun, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await AuditContext.ApplyAsync(connection, tx, actor, ct: ct);
        await using (var bulk = new NpgsqlCommand("SET LOCAL situationmap.bulk_load = 'on'", connection, tx)) await bulk.ExecuteNonQueryAsync(ct);
        var counts = await LayerBulkWriter.UpsertAsync(connection, tx, db.Model.FindEntityType(target.EntityType)!, rows, mappedColumns, ct);
        if (dryRun)
        {
            await tx.RollbackAsync(ct);
            return counts;
        }
        if (counts.Created + counts.Updated > 0)
        {
            await using var reloaded = new NpgsqlCommand("SELECT sm_log_layer_reloaded(@layer)", connection, tx);
            reloaded.Parameters.AddWithValue("layer", target.Layer);
            await reloaded.ExecuteNonQueryAsync(ct);
        }
        await AuditContext.RecordAsync(connection, tx, "import", target.Layer, null, new
        {
            files = files.Select(f => f.Name).ToArray(),
            source = options.Source,
            mode = options.Mode ?? ImportOptions.Atomic,
            accepted = rows.Count,
            rejected,
            created = counts.Created,
            updated = counts.Updated,
            unchanged = counts.Unchanged,
        }, ct);
        await tx.CommitAsync(ct);
        return counts;
    }

    /// <summary>"/properties/severity" → "severity", "/category" → "category".</summary>
    private static string FieldName(string pointer) =>
        pointer.StartsWith("/properties/", StringComparison.Ordinal) ? pointer[12..] : pointer.TrimStart('/');

    private static Dictionary<string, string[]> Prefixed(ProblemCollector problems, string file) =>
        problems.ToDictionary().ToDictionary(kv => kv.Key, kv => kv.Value.Select(m => $"{file}: {m}").ToArray());
}
