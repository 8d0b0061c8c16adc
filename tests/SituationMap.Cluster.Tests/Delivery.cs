using System.Text;

namespace SituationMap.Cluster.Tests;

/// <summary>Exactly-once checks of what live clients received against the change log.</summary>
public static class Delivery
{
    /// <summary>
    /// Waits (bounded) until every client has the last change it must receive, then fails with one message naming, per
    /// client, the missing, duplicated, unexpected and out-of-order seqs and wrong kinds.
    /// </summary>
    public static async Task AssertExactlyOnceAsync(ClusterFixture cluster, IReadOnlyList<ResilientLiveClient> clients, long baseline, long head,
        TimeSpan? wait = null, string context = "")
    {
        var rows = await cluster.ChangeLogAsync(baseline, head);
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        foreach (var client in clients)
        {
            var last = rows.LastOrDefault(r => client.View.Expect(r) is not null);
            if (last is not null) await client.WaitForSeqAsync(last.Seq, deadline - DateTime.UtcNow);
        }
        await Task.Delay(1000); // room for anything unexpected (a late duplicate) to arrive
        var report = new StringBuilder();
        foreach (var client in clients)
        {
            if (Check(client, rows, baseline) is { } problem) report.AppendLine(problem);
        }
        if (report.Length > 0)
        {
            Assert.Fail($"Live delivery was not exactly-once (change log {baseline + 1}..{head}, {rows.Count} rows){context}:\n{report}\n{cluster.Logs(8)}");
        }
    }

    /// <summary>Null when the client received exactly the rows its view must receive, in order, once each.</summary>
    public static string? Check(ResilientLiveClient client, IReadOnlyList<ChangeLogRow> rows, long baseline)
    {
        var expected = rows.Select(r => (r.Seq, Kind: client.View.Expect(r))).Where(x => x.Kind is not null).ToList();
        var head = rows.Count == 0 ? baseline : rows[^1].Seq;
        var got = client.Events.Where(e => e.Seq > baseline && e.Seq <= head).ToList();
        var problems = new List<string>();
        var expectedSeqs = expected.Select(e => e.Seq).ToHashSet();
        var gotSeqs = got.Select(e => e.Seq).ToList();
        var gotSet = gotSeqs.ToHashSet();
        var missing = expected.Select(e => e.Seq).Where(s => !gotSet.Contains(s)).ToList();
        var duplicated = gotSeqs.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}").ToList();
        var unexpected = gotSeqs.Where(s => !expectedSeqs.Contains(s)).Distinct().ToList();
        var outOfOrder = gotSeqs.Zip(gotSeqs.Skip(1)).Where(p => p.Second <= p.First).Select(p => $"{p.First}→{p.Second}").ToList();
        var kinds = expected.Select(e => (e.Seq, Expected: e.Kind, Got: got.FirstOrDefault(g => g.Seq == e.Seq)?.Kind))
            .Where(k => k.Got is not null && k.Got != k.Expected).Select(k => $"{k.Seq}: {k.Got} instead of {k.Expected}").ToList();
        if (missing.Count > 0) problems.Add($"missing {missing.Count}: {Ranges(missing)}");
        if (duplicated.Count > 0) problems.Add($"duplicated: {string.Join(", ", duplicated.Take(30))}");
        if (unexpected.Count > 0) problems.Add($"not in its view/scope but received: {Ranges(unexpected)}");
        if (outOfOrder.Count > 0) problems.Add($"out of order: {string.Join(", ", outOfOrder.Take(30))}");
        if (kinds.Count > 0) problems.Add($"wrong kind: {string.Join("; ", kinds.Take(20))}");
        var snapshots = client.Resyncs.Where(r => r.SnapshotRequired).ToList();
        if (snapshots.Count > 0) problems.Add($"told to reload a snapshot: {string.Join("; ", snapshots)}");
        if (problems.Count == 0) return null;
        return $"- {client.Label} ({client.View}; expected {expected.Count}, received {got.Count}, {client.Connections} connection(s)): " +
            string.Join("; ", problems) + "\n    history: " + string.Join("\n             ", client.History.TakeLast(12));
    }

    /// <summary>"3-7, 9, 12-13" for a list of seqs.</summary>
    public static string Ranges(IEnumerable<long> seqs)
    {
        var sorted = seqs.Distinct().Order().ToList();
        var parts = new List<string>();
        for (var i = 0; i < sorted.Count;)
        {
            var j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? $"{sorted[i]}" : $"{sorted[i]}-{sorted[j]}");
            i = j + 1;
        }
        return parts.Count > 40 ? string.Join(", ", parts.Take(40)) + $", … ({parts.Count} ranges)" : string.Join(", ", parts);
    }
}
