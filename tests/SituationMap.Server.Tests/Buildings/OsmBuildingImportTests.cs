using SituationMap.Analysis.Osm;
using SituationMap.Server.Infrastructure.Commands;
using SituationMap.Testing;

namespace SituationMap.Server.Tests.Buildings;

/// <summary>
/// The import-buildings command on a whole country's OpenStreetMap buildings (Liechtenstein, 2013): every footprint the
/// reader finds is stored, valid, with its kind; a second run replaces the source instead of adding to it.
/// </summary>
public sealed class OsmBuildingImportTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task ImportBuildingsReplacesTheSourceWithTheExtractsFootprints()
    {
        if (GeoDataExternal.Find(Path.Combine("osm-liechtenstein", "liechtenstein-2013-08-03.osm.pbf")) is not { } pbf) return;
        var expected = OsmBuildingReader.Read(pbf);
        Assert.Equal(0, await ServerCommand.Parse(["import-buildings", "--file", pbf, "--source", "osm-li"]).RunAsync(server.Services));

        Assert.Equal(expected.Count, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-li' AND ST_IsValid(geom) AND ST_SRID(geom) = 4326"));
        Assert.Equal(expected.Count(b => b.Building is "house" or "residential" or "apartments" or "detached" or "semidetached_house" or "terrace" or "dormitory" or "bungalow"),
            await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-li' AND kind = 'residential'"));
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-li' AND ref = 'w431' AND kind = 'public'")); // a school
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-li' AND ref = 'r52'")); // Schloss Vaduz, a multipolygon
        Assert.Equal(1, await server.Database.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'import' AND actor = 'system:import-buildings'"));

        Assert.Equal(0, await ServerCommand.Parse(["import-buildings", "--file", pbf, "--source", "osm-li"]).RunAsync(server.Services));
        Assert.Equal(expected.Count, await server.Database.ScalarAsync("SELECT count(*) FROM buildings WHERE source = 'osm-li'"));

        await Assert.ThrowsAsync<ArgumentException>(() => ServerCommand.Parse(["import-buildings", "--file", pbf, "--source", "Bad Name"]).RunAsync(server.Services));
        await Assert.ThrowsAsync<ArgumentException>(() => ServerCommand.Parse(["import-buildings"]).RunAsync(server.Services));
    }
}
