using System.Globalization;
using System.Text;
using System.Text.Json;

namespace SituationMap.Benchmarks;

public static class BenchReport
{
    public static void Write(BenchOptions options, IReadOnlyList<BenchResult> results)
    {
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
}
