namespace SituationMap.Server.Interop.Imports;

/// <summary>A file to import: where it is on disk and the name it had (uploads are stored under temporary names).</summary>
public sealed record ImportFile(string Path, string Name);

/// <summary>One rejected row: the file, its row/feature number, the field (or "geometry", "row") and why.</summary>
public sealed record ImportReject(string File, long Row, string Field, string Message);

/// <summary>Where a running import is: phase reading → writing → done, rows read, and the share of the input read.</summary>
public sealed record ImportProgress(string Phase, long RowsRead, double Fraction);

/// <summary>
/// The outcome of an import (or of its dry run): rows read, accepted and rejected; what the upsert did (created,
/// updated, unchanged: for a dry run, what it would do); whether anything was written (false for dry runs and for
/// atomic imports with rejects); and the rejects (all of them; the API shows the first 100 and serves the rest as CSV).
/// </summary>
public sealed record ImportReport(
    string Layer,
    IReadOnlyList<string> Files,
    string Crs,
    bool DryRun,
    string Mode,
    long RowsRead,
    int Accepted,
    int Rejected,
    int Created,
    int Updated,
    int Unchanged,
    bool Written,
    double Seconds,
    IReadOnlyList<ImportReject> Rejects)
{
    /// <summary>"succeeded" (written, or a dry run that would write), or "rejected" (an atomic import with rejects: nothing written).</summary>
    public string Outcome => !DryRun && !Written && Rejected > 0 ? "rejected" : "succeeded";
}

/// <summary>The options or the file cannot be imported at all (unknown layer, column, CRS…); nothing was written.</summary>
public sealed class ImportRefusedException(IReadOnlyDictionary<string, string[]> problems)
    : Exception(string.Join("; ", problems.SelectMany(kv => kv.Value.Select(m => $"{kv.Key}: {m}"))))
{
    public IReadOnlyDictionary<string, string[]> Problems { get; } = problems;
}
