using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Buildings;
using SituationMap.Server.Cameras;
using SituationMap.Server.Cluster;
using SituationMap.Server.Coverage;
using SituationMap.Server.Demo;
using SituationMap.Server.Dispatch;
using SituationMap.Server.Districts;
using SituationMap.Server.Hotspots;
using SituationMap.Server.Incidents;
using SituationMap.Server.Infrastructure;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Interop.Exports;
using SituationMap.Server.Interop.Imports;
using SituationMap.Server.Interop.Rendering;
using SituationMap.Server.Live;
using SituationMap.Server.Ogc;
using SituationMap.Server.Patrols;
using SituationMap.Server.Privacy;
using SituationMap.Server.Roads;
using SituationMap.Server.Situation;
using SituationMap.Server.Tiles;
using SituationMap.Server.Zones;

// SituationMap server. Commands: serve (default) | migrate | seed [--if-empty] [--incidents N] [--reset]
var command = ServerCommand.Parse(args);

var builder = WebApplication.CreateBuilder(command.HostArgs);
if (DatabaseExtensions.MissingConfiguration(builder.Configuration) is { } missing)
{
    Console.Error.WriteLine(missing);
    return 2;
}

builder.Services.AddSituationMapDatabase(builder.Configuration, serving: command.Name == ServerCommand.Serve);
builder.Services.AddCluster(builder.Configuration);
builder.Services.AddSituationMapApi(builder.Configuration);
builder.Services.AddSituationMapAuth(builder.Configuration);
builder.Services.AddLiveUpdates(builder.Configuration);
builder.Services.AddTiles();
builder.Services.AddSituation(builder.Configuration);
builder.Services.AddDemoActivity(builder.Configuration);
builder.Services.AddPrivacy(builder.Configuration);
builder.Services.AddHotspots(builder.Configuration);
builder.Services.AddCoverage(builder.Configuration);
builder.Services.AddDispatch(builder.Configuration);
builder.Services.AddPatrolAnalytics();
builder.Services.AddImports();
builder.Services.AddRenderedExports();

var app = builder.Build();

if (command.Name != ServerCommand.Serve)
{
    return await command.RunAsync(app.Services);
}

app.UseClusterNodeHeader();
app.UseSituationMapPipeline();
app.UseSituationMapAuth();
app.MapAuthApi();
app.MapAccountsApi();
app.MapAuditApi();
app.MapIncidentsApi();
app.MapCamerasApi();
app.MapPatrolRoutesApi();
app.MapPatrolUnitsApi();
app.MapZonesApi();
app.MapDistrictsApi();
app.MapRoadsApi();
app.MapBuildingsApi();
app.MapTilesApi();
app.MapSituationApi();
app.MapHotspotsApi();
app.MapCoverageApi();
app.MapDispatchApi();
app.MapPatrolAnalyticsApi();
app.MapOgcApi();
app.MapImportsApi();
app.MapRenderedExportsApi();
app.MapExportsApi();
app.MapLiveHub();
app.MapClusterEndpoints();

await app.RunAsync();
return 0;

/// <summary>The application's entry point type, for WebApplicationFactory in tests.</summary>
public partial class Program;
