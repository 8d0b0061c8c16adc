using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Json;

namespace SituationMap.Server.Interop.Imports;

/// <summary>
/// <c>import --layer L --file F [F2 … | DIR] [--options mapping.json] [--source S] [--external-id COLUMN|#hash]
/// [--crs C] [--format F] [--x COL --y COL | --wkt COL] [--mode atomic|skip_bad_rows] [--dry-run] [--rejects out.csv]</c>:
/// the import pipeline from the command line, with progress on stderr every second. Flags override the options file.
/// Exit code 0 when written (or the dry run passed), 2 when an atomic import was refused for rejected rows.
/// </summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(IServiceProvider services, IReadOnlyDictionary<string, string?> args, TextWriter output, TextWriter progress)
    {
        var options = args.TryGetValue("options", out var file) && file is not null
            ? JsonSerializer.Deserialize<ImportOptions>(await File.ReadAllTextAsync(file), ApiJson.Options) ?? new ImportOptions()
            : new ImportOptions();
        string? Arg(string name) => args.TryGetValue(name, out var v) ? v : null;
        options = options with
        {
            Layer = Arg("layer") ?? options.Layer,
            Format = Arg("format") ?? options.Format,
            Crs = Arg("crs") ?? options.Crs,
            X = Arg("x") ?? options.X,
            Y = Arg("y") ?? options.Y,
            Wkt = Arg("wkt") ?? options.Wkt,
            Table = Arg("table") ?? options.Table,
            Source = Arg("source") ?? options.Source,
            ExternalId = Arg("external-id") ?? options.ExternalId,
            Mode = Arg("mode") ?? options.Mode,
            DryRun = args.ContainsKey("dry-run") ? true : options.DryRun,
        };
        var files = Files(Arg("file") ?? throw new ArgumentException("import needs --file F (one or more files, or a folder)."), options);
        var runner = ActivatorUtilities.CreateInstance<ImportRunner>(services);
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        var reporter = new Progress<ImportProgress>(p =>
        {
            if (clock.Elapsed - last < TimeSpan.FromSeconds(1) && p.Phase == "reading") return;
            last = clock.Elapsed;
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {p.Phase}: {p.RowsRead:N0} rows, {p.Fraction:P0} of the input, {clock.Elapsed.TotalSeconds:0.0} s"));
        });
        ImportReport report;
        try
        {
            report = await runner.RunAsync(files, options, UserScope.Everything, AuditActor.Current(null), reporter, CancellationToken.None);
        }
        catch (ImportRefusedException e)
        {
            foreach (var (where, messages) in e.Problems)
                foreach (var message in messages)
                    output.WriteLine($"refused: {where}: {message}");
            return 1;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(report.DryRun ? "dry run" : report.Outcome)}: {report.Layer} from {report.Files.Count} file(s), CRS {report.Crs}; {report.RowsRead:N0} rows read, " +
            $"{report.Accepted:N0} accepted, {report.Rejected:N0} rejected; {(report.DryRun ? "would create" : "created")} {report.Created:N0}, " +
            $"updated {report.Updated:N0}, unchanged {report.Unchanged:N0}; {report.Seconds:0.0} s ({report.RowsRead / Math.Max(report.Seconds, 1e-6):N0} rows/s)."));
        if (!report.Written && !report.DryRun && report.Rejected > 0)
            output.WriteLine("Nothing was written (mode atomic): fix the rejected rows, or import with --mode skip_bad_rows.");
        if (Arg("rejects") is { } rejectsPath)
        {
            await using var writer = new StreamWriter(rejectsPath, false, new UTF8Encoding(false));
            await ImportRejectsCsv.WriteAsync(writer, report.Rejects);
            output.WriteLine($"{report.Rejects.Count:N0} reject reasons written to {rejectsPath}.");
        }
        else
        {
            foreach (var r in report.Rejects.Take(20)) output.WriteLine($"  rejected {r.File} row {r.Row}: {r.Field}: {r.Message}");
            if (report.Rejects.Count > 20) output.WriteLine($"  … {report.Rejects.Count - 20:N0} more (--rejects FILE writes them all).");
        }
        return report.Outcome == "rejected" ? 2 : 0;
    }

    /// <summary>The files named (several separated by new lines), a folder's files of a known format in name order.</summary>
    private static List<ImportFile> Files(string given, ImportOptions options)
    {
        var files = new List<ImportFile>();
        foreach (var path in given.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.GetFiles(path).Order(StringComparer.Ordinal)
                    .Where(f => ImportSources.FormatOf(f, options.Format) is not null && !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
                    .Select(f => new ImportFile(f, Path.GetFileName(f))));
            }
            else if (File.Exists(path))
            {
                files.Add(new ImportFile(path, Path.GetFileName(path)));
            }
            else
            {
                throw new ArgumentException($"There is no file or folder {path}.");
            }
        }
        return files;
    }
}

/// <summary>Rejects as CSV (file,row,field,message), RFC 4180 quoting — the reject file of skip_bad_rows imports.</summary>
public static class ImportRejectsCsv
{
    public static async Task WriteAsync(TextWriter writer, IEnumerable<ImportReject> rejects)
    {
        await writer.WriteLineAsync("file,row,field,message");
        foreach (var r in rejects)
            await writer.WriteLineAsync($"{Csv(r.File)},{r.Row.ToString(CultureInfo.InvariantCulture)},{Csv(r.Field)},{Csv(r.Message)}");
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
