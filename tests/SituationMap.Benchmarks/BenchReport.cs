using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SituationMap.Benchmarks;

public static class BenchReport
{
    /// <summary>Writes results.md and results.json in the output folder. With <paramref name="merge"/>, the rows already
    /// in results.json are kept, except those of the benchmarks measured now, and the new rows are appended.</summary>
    public static void Write(BenchOptions options, IReadOnlyList<BenchResult> results, bool merge = false)
    {
        if (merge) results = [.. Previous(options, results.Select(r => r.Benchmark).ToHashSet(StringComparer.Ordinal)), .. results];
        var table = new StringBuilder();
        table.AppendLine("| benchmark | metric | value | goal | notes |");
        table.AppendLine("|---|---|---|---|---|");
        foreach (var r in results)
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Benchmark} | {r.Metric} | {r.Value:0.##} {r.Unit} | {r.Goal ?? "—"} | {r.Notes} |");
        Console.WriteLine();
        Console.WriteLine(table);
        Directory.CreateDirectory(options.OutDirectory);
        File.WriteAllText(Path.Combine(options.OutDirectory, "results.md"), table.ToString());
        File.WriteAllText(Path.Combine(options.OutDirectory, "results.json"), JsonSerializer.Serialize(new
        {
            machine = new { Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            at = DateTimeOffset.UtcNow,
            results,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static IEnumerable<BenchResult> Previous(BenchOptions options, IReadOnlySet<string> replaced)
    {
        var path = Path.Combine(options.OutDirectory, "results.json");
        if (!File.Exists(path)) return [];
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.TryGetProperty("results", out var rows)
            ? [.. rows.Deserialize<BenchResult[]>()!.Where(r => !replaced.Contains(r.Benchmark))]
            : [];
    }
}
