using System.Collections.Concurrent;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;

namespace SituationMap.Server.Interop.Imports;

/// <summary>Where an import started through the API is (GET /api/imports/{id}); the result once it has finished.</summary>
public sealed record ImportJobStatus(
    string Id,
    string State,
    string Phase,
    long RowsRead,
    double Progress,
    string? Layer,
    IReadOnlyList<string> Files,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    ImportSummary? Result,
    IReadOnlyDictionary<string, string[]>? Problems,
    string? Error);

/// <summary>An import's report as the API serves it: the counts and the first 100 rejects (all of them: rejects.csv).</summary>
public sealed record ImportSummary(
    string Outcome,
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
    int RejectReasons,
    IReadOnlyList<ImportReject> Rejects);

/// <summary>
/// Imports started through the API run in the background, one at a time per server (they are CPU- and
/// write-heavy), each in its own DI scope, reporting progress as they go. A job is kept for a day after it finishes;
/// the uploaded files are deleted when it finishes. A server restart forgets its jobs: an interrupted import has
/// written nothing (one transaction) and can be sent again — re-imports are idempotent by external id.
/// </summary>
public sealed class ImportJobs(IServiceScopeFactory scopes, ILogger<ImportJobs> log)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public sealed class Job(string id, long? accountId, string? layer, IReadOnlyList<string> files)
    {
        public string Id => id;

        public long? AccountId => accountId;

        public volatile string State = "queued";
        public ImportProgress Progress = new("queued", 0, 0);
        public ImportReport? Report;
        public IReadOnlyDictionary<string, string[]>? Problems;
        public string? Error;
        public DateTimeOffset StartedAt = DateTimeOffset.UtcNow;
        public DateTimeOffset? FinishedAt;
        public readonly TaskCompletionSource Finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ImportJobStatus Status() => new(id, State, Progress.Phase, Progress.RowsRead, Progress.Fraction, layer, files, StartedAt, FinishedAt,
            Report is { } r
                ? new ImportSummary(r.Outcome, r.Crs, r.DryRun, r.Mode, r.RowsRead, r.Accepted, r.Rejected, r.Created, r.Updated, r.Unchanged, r.Written,
                    Math.Round(r.Seconds, 2), r.Rejects.Count, r.Rejects.Take(100).ToArray())
                : null,
            Problems, Error);
    }

    public Job? Find(string id) => _jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>Starts the import of the files in <paramref name="folder"/> (deleted afterwards) and returns its job.</summary>
    public Job Start(string folder, IReadOnlyList<ImportFile> files, ImportOptions options, UserScope scope, AuditActor? actor)
    {
        foreach (var old in _jobs.Values.Where(j => j.FinishedAt < DateTimeOffset.UtcNow - KeepFor)) _jobs.TryRemove(old.Id, out _);
        var job = new Job(Guid.NewGuid().ToString("n"), actor?.AccountId, options.Layer, files.Select(f => f.Name).ToArray());
        _jobs[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, folder, files, options, scope, actor));
        return job;
    }

    private async Task RunAsync(Job job, string folder, IReadOnlyList<ImportFile> files, ImportOptions options, UserScope scope, AuditActor? actor)
    {
        await _oneAtATime.WaitAsync();
        try
        {
            job.State = "running";
            await using var scopeServices = scopes.CreateAsyncScope();
            var runner = ActivatorUtilities.CreateInstance<ImportRunner>(scopeServices.ServiceProvider);
            var progress = new SynchronousProgress(p => job.Progress = p);
            job.Report = await runner.RunAsync(files, options, scope, actor, progress, CancellationToken.None);
            job.State = job.Report.Outcome;
        }
        catch (ImportRefusedException e)
        {
            job.Problems = e.Problems;
            job.State = "refused";
        }
        catch (Exception e)
        {
            log.LogError(e, "Import {Job} failed.", job.Id);
            job.Error = "The import failed and wrote nothing: " + e.Message;
            job.State = "failed";
        }
        finally
        {
            job.FinishedAt = DateTimeOffset.UtcNow;
            _oneAtATime.Release();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException e)
            {
                log.LogWarning(e, "Could not delete the upload folder {Folder}.", folder);
            }
            job.Finished.TrySetResult();
        }
    }

    /// <summary>Progress without a synchronisation context hop: the job's status is read by other requests.</summary>
    private sealed class SynchronousProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
