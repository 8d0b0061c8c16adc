using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Infrastructure.Commands;

/// <summary>
/// The server's command line: <c>serve</c> (default; remaining arguments go to ASP.NET Core, e.g. --urls),
/// <c>migrate</c> (apply EF Core migrations), <c>seed [--if-empty] [--reset] [--incidents N]</c> (load the demo city),
/// <c>import-roads --file F</c> (replace the roads layer with an OpenStreetMap extract, see <see cref="Roads.RoadImport"/>),
/// <c>import-buildings --file F [--source S]</c> (replace one source's building footprints with those of an OpenStreetMap
/// extract, see <see cref="Buildings.OsmBuildingImport"/>),
/// <c>import --layer L --file F…</c> (GeoJSON, CSV, Shapefile, GeoPackage into a layer, see <see cref="Interop.Imports.ImportCommand"/>).
/// </summary>
public sealed record ServerCommand(string Name, string[] HostArgs, IReadOnlyDictionary<string, string?> Options)
{
    public const string Serve = "serve";
    public const string Migrate = "migrate";
    public const string Seed = "seed";
    public const string Accounts = "accounts";
    public const string ImportRoads = "import-roads";
    public const string Import = "import";
    public const string ImportBuildings = "import-buildings";

    public static ServerCommand Parse(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-')) return new ServerCommand(Serve, args, new Dictionary<string, string?>());
        var name = args[0];
        var rest = args[1..];
        return name switch
        {
            Serve => new ServerCommand(Serve, rest, new Dictionary<string, string?>()),
            Migrate or Seed or ImportRoads or ImportBuildings or Import => new ServerCommand(name, [], ParseOptions(rest)),
            Accounts when rest.Length > 0 && !rest[0].StartsWith('-') => new ServerCommand(Accounts + " " + rest[0], [], ParseOptions(rest[1..])),
            Accounts => throw new ArgumentException("accounts needs an action: create or demo."),
            _ => throw new ArgumentException(
                $"Unknown command '{name}'. Commands: serve (default), migrate, seed [--if-empty] [--reset] [--incidents N], import-roads --file F.osm.pbf, import-buildings --file F.osm.pbf [--source osm], import --layer L --file F…, accounts create|demo …."),
        };
    }

    private static Dictionary<string, string?> ParseOptions(string[] rest)
    {
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < rest.Length; i++)
        {
            if (!rest[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{rest[i]}'.");
            // an option takes the words up to the next option (several: joined by new lines, e.g. import --file a.csv b.csv)
            var name = rest[i][2..];
            var values = new List<string>();
            while (i + 1 < rest.Length && !rest[i + 1].StartsWith("--", StringComparison.Ordinal)) values.Add(rest[++i]);
            options[name] = values.Count == 0 ? null : string.Join('\n', values);
        }
        return options;
    }

    public async Task<int> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SituationMapDb>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("SituationMap");
        switch (Name)
        {
            case Migrate:
                // the history table first, so that a fresh database does not log EF's failed SELECT of a missing table
                await db.Database.ExecuteSqlRawAsync(db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().GetCreateIfNotExistsScript());
                await db.Database.MigrateAsync();
                log.LogInformation("Database is at migration {Migration}.", (await db.Database.GetAppliedMigrationsAsync()).LastOrDefault());
                return 0;
            case Seed:
                var loader = ActivatorUtilities.CreateInstance<DemoDataLoader>(scope.ServiceProvider);
                var count = Options.TryGetValue("incidents", out var n) && n is not null
                    ? int.Parse(n, CultureInfo.InvariantCulture)
                    : new SituationMap.DemoCity.DemoCityOptions().IncidentCount;
                await loader.LoadAsync(count, ifEmpty: Options.ContainsKey("if-empty"), reset: Options.ContainsKey("reset"), CancellationToken.None);
                return 0;
            case ImportRoads:
                if (!Options.TryGetValue("file", out var file) || file is null) throw new ArgumentException("import-roads needs --file F (.osm.pbf, .osm or .osm.bz2).");
                using (Audit.AuditActor.Job("import-roads"))
                {
                    var roads = await Roads.RoadImport.ImportAsync(scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>(), file, CancellationToken.None);
                    log.LogInformation("Imported {Roads} road segments from {File}; running servers rebuild their road network within a minute.", roads, file);
                }
                return 0;
            case Import:
                using (Audit.AuditActor.Job("import"))
                    return await Interop.Imports.ImportCommand.RunAsync(scope.ServiceProvider, Options, Console.Out, Console.Error);
            case ImportBuildings:
                if (!Options.TryGetValue("file", out var buildingFile) || buildingFile is null) throw new ArgumentException("import-buildings needs --file F (.osm.pbf, .osm or .osm.bz2).");
                using (Audit.AuditActor.Job("import-buildings"))
                {
                    var source = Options.TryGetValue("source", out var s) && s is not null ? s : Buildings.OsmBuildingImport.DefaultSource;
                    await Buildings.OsmBuildingImport.ImportAsync(scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>(), buildingFile, source, log, CancellationToken.None);
                }
                return 0;
            case var accounts when accounts.StartsWith(Accounts + " ", StringComparison.Ordinal):
                return await SituationMap.Server.Accounts.AccountCommands.RunAsync(services, accounts[(Accounts.Length + 1)..], Options);
            default:
                throw new InvalidOperationException(Name);
        }
    }
}
