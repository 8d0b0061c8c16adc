using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Server.Interop.Imports;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Interop;

/// <summary>
/// The Chicago 2018 crimes (../shared/geodata-external/chicago-crimes-2018, 156,385 rows in 8 CSV files) through the
/// import command with the shipped mapping (geodata/mappings/chicago-crimes-2018.json), then a re-import of a month.
/// </summary>
public sealed class ChicagoImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task TheChicagoCrimesImportInOneGoWithTheirCategoriesAndLocalTimesAndReimportUnchanged()
    {
        if (GeoDataExternal.Find("chicago-crimes-2018") is not { } folder) return;
        var mapping = Path.Combine(TestDatabase.RepoRoot(), "geodata", "mappings", "chicago-crimes-2018.json");
        var files = Directory.GetFiles(folder, "*.csv").Order(StringComparer.Ordinal).ToArray();
        // the expected figures from the files themselves (Date and PrimaryType hold no commas)
        var rows = files.SelectMany(f => File.ReadLines(f).Skip(1)).Select(l => l.Split(',')).ToList();
        var options = JsonSerializer.Deserialize<ImportOptions>(await File.ReadAllTextAsync(mapping), Infrastructure.Json.ApiJson.Options)!;
        var categories = options.Fields!["category"].Values!;
        string CategoryOf(string type) => categories.TryGetValue(type, out var c) ? c.GetString()! : "other";
        var rejectsFile = Path.GetTempFileName();

        Assert.Equal(0, await ServerCommand.Parse(["import", "--file", folder, "--options", mapping, "--rejects", rejectsFile]).RunAsync(server.Services));

        Assert.Equal(rows.Count, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'chicago-clear'"));
        Assert.Equal(156_385, rows.Count);
        Assert.Equal(["file,row,field,message"], File.ReadAllLines(rejectsFile)); // every row has its coordinates
        foreach (var category in new[] { "property_theft", "violent", "public_order", "other" })
        {
            Assert.Equal(rows.Count(r => CategoryOf(r[1]) == category),
                await server.Database.ScalarAsync($"SELECT count(*) FROM incidents WHERE source = 'chicago-clear' AND category = '{category}'"));
        }
        Assert.Equal(rows.Count(r => r[1] == "HOMICIDE"),
            await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'chicago-clear' AND severity = 4 AND description IS NOT NULL AND category = 'violent' AND address IS NOT NULL AND external_id IS NOT NULL") -
            rows.Count(r => r[1] is "CRIM SEXUAL ASSAULT" or "KIDNAPPING" or "HUMAN TRAFFICKING"));
        // Chicago wall-clock time: midnight of New Year (CST, UTC-6) and of 1 July (CDT, UTC-5)
        Assert.Equal(rows.Count(r => r[0] == "2018-01-01 00:00:00"),
            await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'chicago-clear' AND occurred_at = '2018-01-01T06:00:00Z'"));
        Assert.Equal(rows.Count(r => r[0] == "2018-07-01 00:00:00"),
            await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'chicago-clear' AND occurred_at = '2018-07-01T05:00:00Z'"));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'import' AND layer = 'incidents' AND (detail->>'created')::int = 156385"));

        // the same month again: every row found by its fingerprint, nothing written
        await using var scope = server.Services.CreateAsyncScope();
        var runner = ActivatorUtilities.CreateInstance<ImportRunner>(scope.ServiceProvider);
        var january = files[0];
        var report = await runner.RunAsync([new ImportFile(january, Path.GetFileName(january))], options, UserScope.Everything, null, null, CancellationToken.None);
        Assert.Equal(File.ReadLines(january).Count() - 1, report.Unchanged);
        Assert.Equal(0, report.Created + report.Updated + report.Rejected);
        Assert.Equal(rows.Count, await server.Database.ScalarAsync("SELECT count(*) FROM incidents WHERE source = 'chicago-clear'"));
    }
}
