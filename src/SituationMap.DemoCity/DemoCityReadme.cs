using System.Globalization;
using System.Text;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;

namespace SituationMap.DemoCity;

/// <summary>The README written next to the exported files (it carries the counts, so it is generated too).</summary>
internal static class DemoCityReadme
{
    public static string Text(DemoCityOptions options, DemoCityLayers layers, IReadOnlyList<DemoIncident> sample)
    {
        var projection = MetricProjection.ForLocation(UrbanForm.CentreLongitude, UrbanForm.CentreLatitude);
        var i = CultureInfo.InvariantCulture;
        string Count<T>(IEnumerable<T> items, Func<T, string> key, IEnumerable<string> order) =>
            string.Join(", ", order.Select(k => $"{k} {items.Count(x => key(x) == k).ToString(i)}"));
        var cityArea = layers.Districts.Sum(d => projection.ToMetric(d.Area).Area) / 1e6;
        var roadKm = layers.Roads.Sum(r => projection.ToMetric(r.Geometry).Length) / 1e3;
        var envelope = new NetTopologySuite.Geometries.Envelope();
        foreach (var d in layers.Districts) envelope.ExpandToInclude(d.Area.EnvelopeInternal);
        var routeLengths = string.Join("; ", Enum.GetValues<PatrolLevel>().Select(level =>
        {
            var lengths = layers.PatrolRoutes.Where(r => r.Level == level).Select(r => projection.ToMetric(r.Geometry).Length / 1e3).ToList();
            return lengths.Count == 0
                ? $"{WireNames.Of(level)} 0"
                : string.Create(i, $"{WireNames.Of(level)} {lengths.Count} ({lengths.Min():F1}–{lengths.Max():F1} km)");
        }));
        var yearStart = options.YearEnd.AddDays(-365);
        var buildingSample = DemoCityExport.BuildingSample(layers).Count();
        var courtyards = layers.Buildings.Count(b => b.Footprint.NumInteriorRings > 0);
        var lShapes = layers.Buildings.Count(b => b.Footprint.ExteriorRing.NumPoints == 7);
        var levels = layers.Buildings.Select(b => b.Levels).Order().ToList();
        var medianLevels = levels.Count == 0 ? 0 : levels[levels.Count / 2];
        var maxLevels = levels.Count == 0 ? 0 : levels[^1];

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
# Demo city — SYNTHETIC data

**Everything in this folder is invented.** The demo city is placed near 114.9°E 40.8°N (the Zhangjiakou area of
Hebei, UTM zone 50N) so that maps, projections and Chinese naming behave as they would with real data, but no
district, road, zone, building, camera, patrol or incident here corresponds to a real one, and the files contain no
personal data (descriptions are fixed templates without names, phone or ID numbers).

The files are written by `DemoCityExport.WriteAll` in `src/SituationMap.DemoCity` with the default options
(seed {{options.Seed}}, incident year {{GeoJsonFeatureWriter.Timestamp(yearStart)}} to {{GeoJsonFeatureWriter.Timestamp(options.YearEnd)}} exclusive,
{{options.IncidentCount:N0}} incidents, {{options.CameraCount:N0}} cameras, {{options.PatrolUnitCount}} patrol units).
Do not edit them by hand: regenerate them (see the end of this file). The server does not read these files; it
calls the same generator when it seeds the database.

## Files

| file | contents |
|---|---|
| `districts.geojson` | {{layers.Districts.Count}} districts (MultiPolygon) tiling the city: about {{cityArea.ToString("F0", i)}} km², extent {{envelope.MinX.ToString("F3", i)}}–{{envelope.MaxX.ToString("F3", i)}}°E, {{envelope.MinY.ToString("F3", i)}}–{{envelope.MaxY.ToString("F3", i)}}°N |
| `roads.geojson` | {{layers.Roads.Count:N0}} road segments (LineString, one per stretch between junctions, {{roadKm.ToString("F0", i)}} km in all) |
| `zones.geojson` | {{layers.Zones.Count}} zones (MultiPolygon) of every zone kind except `district` |
| `cameras.geojson` | {{layers.Cameras.Count:N0}} video cameras (Point) |
| `patrol_routes.geojson` | {{layers.PatrolRoutes.Count}} patrol routes (MultiLineString, closed loops on the roads) |
| `patrol_units.geojson` | {{layers.PatrolUnits.Count}} patrol units (Point, last known position) |
| `buildings.geojson` | {{buildingSample:N0}} of the {{layers.Buildings.Count:N0}} building footprints (Polygon): those within {{DemoCityExport.BuildingSampleRadiusM / 1e3:0.0}} km of the old-town centre (see Buildings) |
| `incidents-sample.csv` | the first {{sample.Count:N0}} incidents of the year (the full year is streamed by the generator) |
| `README.md` | this file |

## Conventions

- Coordinates are WGS84 longitude, latitude (EPSG:4326, RFC 7946 order), rounded to 7 decimals (about 1 cm). Metric
  work uses UTM zone 50N (EPSG:32650). Polygon exterior rings are counter-clockwise, holes clockwise.
- GeoJSON files hold one feature per line. Property names are the snake_case names of the record fields in
  `DemoCityModel.cs`; enum values are their wire names (`property_theft`, `on_scene`, `urban_village`).
- Headings are compass degrees: 0 = true north, clockwise, in [0, 360). Distances in metres, speeds in m/s.
- Timestamps are UTC, ISO 8601 (`2026-10-31T23:59:01Z`); local time in the city is UTC+8.
- Road segments meet exactly at junctions (shared end coordinates), so the network is routable; one-way segments
  point in the direction of travel. Every patrol-route vertex is a road vertex.
- Roads have a surface width by class (`DemoRoad.WidthM`, not exported: trunk 40 m, primary 30, secondary 24,
  tertiary 16, residential 10); the road surface is the centreline buffered by half of it.

## Properties

- **districts**: `code` (short, stable, e.g. `BS`), `name` (Chinese), `name_en`.
- **roads**: `name`, `name_en`, `class` (OpenStreetMap `highway`: trunk, primary, secondary, tertiary,
  residential), `one_way`, `max_speed_kmh` (80, 60, 50, 40, 30 by class).
- **zones**: `name`, `name_en`, `kind`, `risk_level` (1 low … 4 high), `coverage_target` (share of the area that
  video should cover: key facilities and schools 1, crowded places 0.8, residential communities 0.7, area-type
  zones 0.5), `district_code` (district containing the zone's centroid).
- **cameras**: `name` (`CAM-0001 <road>`), `kind` (fixed, ptz, dome), `heading_deg`, `field_of_view_deg` (360 for
  PTZ and panoramic domes), `range_m`, `mounting_height_m`, `status` (online, offline, fault), `privacy_masks`
  (a MultiPolygon inside the camera's view that must not be recorded, or null), `installed_at`, `owner_unit`
  (the police station), `district_code`.
- **patrol_routes**: `name`, `level` (city, district, community), `mode` (vehicle, foot, bicycle), `owner_unit`,
  `shifts` (local start/end times; an end before the start runs past midnight; `days` are ISO weekdays 1 = Monday,
  empty = every day), `status` (active, suspended, draft), `district_code` (null for city routes).
- **patrol_units**: `call_sign` (district code or `SJ` for the city, then level and number: `BS-21`), `level`,
  `mode`, `status` (available, busy, off_duty), `district_code`, `last_seen`, `speed_mps`, `heading_deg`.
- **buildings**: `id` (`B000001`…, stable for the seed), `kind` (residential, commercial, industrial, public, other),
  `levels` (floors above ground), `height_m` (roof height above ground, 0.1 m steps), `district_code` (district
  containing the footprint's centroid).
- **incidents-sample.csv** (RFC 4180, UTF-8, comma-separated): `external_id`, `category`, `severity` (1 minor … 4
  most serious), `status`, `occurred_at`, `reported_at`, `longitude`, `latitude`, `address` (nearest road and a
  house number, Chinese with English), `district_code`, `description` (Chinese / English).

## Counts

- Roads by class: {{Count(layers.Roads, r => r.Class, ["trunk", "primary", "secondary", "tertiary", "residential"])}}; one-way {{layers.Roads.Count(r => r.OneWay)}}.
- Zones by kind: {{Count(layers.Zones, z => WireNames.Of(z.Kind), WireNames.All<ZoneKind>().Where(k => k != "district"))}}.
- Cameras by status: {{Count(layers.Cameras, c => WireNames.Of(c.Status), WireNames.All<CameraStatus>())}}; by kind: {{Count(layers.Cameras, c => WireNames.Of(c.Kind), WireNames.All<CameraKind>())}}; with privacy masks {{layers.Cameras.Count(c => c.PrivacyMasks is not null)}}.
- Patrol routes by level: {{routeLengths}}.
- Patrol units by status: {{Count(layers.PatrolUnits, u => WireNames.Of(u.Status), WireNames.All<PatrolUnitStatus>())}}.
- Buildings: {{layers.Buildings.Count:N0}} in all, {{buildingSample:N0}} in `buildings.geojson`; by kind: {{Count(layers.Buildings, b => WireNames.Of(b.Kind), WireNames.All<BuildingKind>())}}; L-shaped {{lShapes:N0}}, perimeter blocks with a courtyard {{courtyards:N0}}; levels median {{medianLevels}}, highest {{maxLevels}}.

## How the city is made

An irregular city boundary (about 24 km × 20 km) holds a built-up area whose population density peaks in the old
town and again in a south-eastern new district. Streets form a rotated, gently warped grid: arterials every
1.2–1.8 km (a rectangular trunk ring road around the centre), collectors half-way between them, local streets at
the quarter and eighth points where density is high enough; in open country only every other arterial continues.
Urban villages keep out planned local streets. Districts are the blocks of the collector grid given to the nearest
of seven district seeds (a Voronoi diagram sampled on the street grid), clipped to the boundary. Cameras cluster at
junctions, along busy roads and around key facilities and crowded places; urban villages and fringes are clearly
under-covered and their cameras fail more often. Incidents follow the density surface plus hotspots (urban
villages and fringes for burglary, theft and disputes; nightlife places at night, more on Friday and Saturday;
stations at rush hours; traffic along arterials), daily and weekly cycles by category, a summer peak and a quiet
Spring Festival. Each layer uses its own seeded random stream, so changing the incident count leaves every other
file unchanged.

## Buildings

Building footprints fill the cells of the street lattice, the blocks between the lattice lines. Every building keeps
clear of the road surface of the cell's edges and corners (half the road width of the class plus a setback of 1.5 m
in urban villages to 15 m at stations) and never leaves its cell, so no building stands on a road or overlaps another
(the narrowest gaps, between village houses, are about a metre); buildings also keep 2 m from every camera. Within a cell buildings stand on plots in rows parallel to the
streets, so they front the street; a plot holds a rectangle, an L or a perimeter block around a courtyard (a polygon
with a hole), or stays empty (yards, sports grounds, fields). What a cell holds follows its zone: residential
communities get rows of 6- to 33-storey slabs or point towers spaced for sunlight (about 0.7 times the height of the
row to the south), some of them old perimeter-block compounds; urban villages get courtyard houses, L-shaped and plain
houses of 1–6 storeys on 12–18 m plots with 3–5 m lanes; key facilities, mining areas, stations, malls and stadiums
get few large footprints (halls and sheds with tall storeys); schools get teaching blocks around an empty sports
ground; squares and parks stay almost empty. Elsewhere the population density decides: perimeter blocks, L-shapes
and towers up to 30 storeys in the old-town core, 5- to 16-storey slabs in the city, workshops, houses and industrial
parks in the suburbs, sparse houses and sheds near the fringe, and hamlets of farm courtyards in a few cells of the
countryside. Buildings draw from their own random stream, so the other layers do not change with them.

`buildings.geojson` holds only the buildings within {{DemoCityExport.BuildingSampleRadiusM / 1e3:0.0}} km of the old-town centre
(`DemoCityExport.BuildingSample`), to keep the repository small; `DemoCityGenerator.GenerateLayers` returns all of
them in `DemoCityLayers.Buildings`, which is what a database seed should load.

## Regenerating

`tests/SituationMap.DemoCity.Tests` regenerates these files into a temporary folder and fails if any differs from
the committed copy. After changing the generator, rewrite them with

    SITUATIONMAP_REGENERATE_DEMO=1 dotnet test tests/SituationMap.DemoCity.Tests --filter "FullyQualifiedName~CommittedExport"

then review `git diff --stat geodata/demo-city` and commit the files with the change. Output is byte-stable for a
given build on a given platform; `.gitattributes` here keeps Git from rewriting line endings.

""");
        return sb.ToString().ReplaceLineEndings("\n");
    }
}
