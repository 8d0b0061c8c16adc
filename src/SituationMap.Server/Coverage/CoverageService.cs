using System.Globalization;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Npgsql;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Infrastructure.GeoJson;

namespace SituationMap.Server.Coverage;

/// <summary>
/// Owns the city's <see cref="CoverageModel"/>: built on first use (and again after zone changes or, when incidents
/// changed, every RebuildInterval), changed camera by camera as cameras are edited or change status (only the zones
/// the old or new view touches are recomputed), and read for reports filtered to an account's districts. All access is
/// serialised by one lock; reads are O(zones) and cheap.
/// </summary>
public sealed class CoverageService(NpgsqlDataSource dataSource, IOptions<CoverageOptions> options, TimeProvider clock, ILogger<CoverageService> logger)
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private CoverageModel? _model;
    private long _version;

    public CoverageOptions Options => options.Value;

    /// <summary>Increases with every change applied.</summary>
    public long Version => Interlocked.Read(ref _version);

    public DateTimeOffset ComputedAt { get; private set; }

    /// <summary>Runs <paramref name="read"/> on the current model (built first if needed); null when there is nothing to measure.</summary>
    public async Task<T?> ReadAsync<T>(Func<CoverageModel, T> read, CancellationToken ct) where T : class
    {
        await _lock.WaitAsync(ct);
        try
        {
            var model = _model ??= await BuildAsync(ct);
            return model is null ? null : read(model);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Rebuilds the whole model from the database (zones changed, buildings imported, incidents refreshed).</summary>
    public async Task RebuildAsync(CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            _model = await BuildAsync(ct);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Re-reads cameras that changed (one query) and updates their views; returns the indexes of the zones
    /// recomputed (empty when the model was not built yet, or has no zones: it will be read fresh when next needed).</summary>
    public async Task<IReadOnlyList<int>> ApplyCameraChangesAsync(IReadOnlyCollection<long> cameraIds, CancellationToken ct)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (_model is not { } model) return [];
            if (model.Zones.Count == 0)
            {
                _model = null; // nothing is measured: read everything afresh when next asked
                return [];
            }
            var changed = await model.LoadCamerasAsync(dataSource, cameraIds, ct);
            var affected = new SortedSet<int>();
            foreach (var id in cameraIds)
            {
                var camera = changed.GetValueOrDefault(id);
                if (camera is null) model.Cameras.Remove(id);
                else model.Cameras[id] = camera;
                affected.UnionWith(model.Incremental.UpdateCamera(id.ToString(CultureInfo.InvariantCulture), camera?.View));
            }
            Interlocked.Increment(ref _version);
            ComputedAt = clock.GetUtcNow();
            return [.. affected];
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<CoverageModel?> BuildAsync(CancellationToken ct)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        var model = await CoverageModel.LoadAsync(dataSource, options.Value, ct);
        Interlocked.Increment(ref _version);
        ComputedAt = clock.GetUtcNow();
        if (model is not null)
        {
            logger.LogInformation("Coverage model built in {Ms:F0} ms: {Zones} zones, {Cameras} cameras, {Buildings} buildings, {Incidents} incidents.",
                System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds, model.Zones.Count, model.Cameras.Count, model.Buildings, model.Incidents.Count);
        }
        return model;
    }

    // --- reading the model for an account ---------------------------------------------------------------------------

    /// <summary>Red/amber/green: at or above target; within 10 percentage points below it; further below.</summary>
    public static string Rag(double covered, double target) =>
        covered >= target - 1e-9 ? "green" : covered >= target - 0.10 ? "amber" : "red";

    public static CoverageFigures Figures(CoverageAggregate a) =>
        new(a.Zones, Round(a.AreaM2), Round(a.CoveredM2), Fraction(a.CoveredFraction), a.Incidents, a.IncidentsCovered,
            a.IncidentCoveredFraction is { } f ? Fraction(f) : null, a.ZonesBelowTarget);

    public static ZoneCoverageRow Row(ZoneInfo zone, ZoneCoverage c) =>
        new(zone.Id, zone.Name, zone.NameEn, WireNames.Of(zone.Kind), zone.District, zone.Target, Round(c.AreaM2), Round(c.CoveredM2),
            Fraction(c.CoveredFraction), Fraction(c.Shortfall), c.BelowTarget, Rag(c.CoveredFraction, zone.Target), c.Incidents, c.IncidentsCovered,
            c.IncidentCoveredFraction is { } f ? Fraction(f) : null, c.ViewCount);

    /// <summary>The indexes of the zones an account may see.</summary>
    public static IEnumerable<int> Visible(CoverageModel model, UserScope scope) =>
        Enumerable.Range(0, model.Zones.Count).Where(i => scope.Allows(model.Zones[i].District));

    public CoverageReportResponse Report(CoverageModel model, UserScope scope)
    {
        var indexes = Visible(model, scope).ToArray();
        var results = indexes.Select(i => model.Incremental.Zones[i]).ToArray();
        var report = CoverageReport.FromZones(results);
        var rows = indexes.Select(i => Row(model.Zones[i], model.Incremental.Zones[i])).ToArray();
        var cameras = model.Cameras.Values.Where(c => scope.Allows(c.District)).ToArray();
        return new CoverageReportResponse(Version, ComputedAt, options.Value.IncidentDays, cameras.Count(c => c.Spec.IsOperational), cameras.Length,
            Figures(report.Total),
            [.. report.ByKind.Select(k => new KindCoverage(WireNames.Of(k.Key), CoverageTargets.DefaultFor(k.Key), Figures(k.Value)))],
            [.. report.ByDistrict.Select(d => new DistrictCoverage(d.Key, model.DistrictNames.GetValueOrDefault(d.Key), Figures(d.Value)))],
            rows, [.. indexes.Where(i => model.Incremental.Zones[i].BelowTarget)
                .OrderByDescending(i => model.Incremental.Zones[i].Shortfall).ThenBy(i => model.Zones[i].Id).Select(i => model.Zones[i].Id)]);
    }

    /// <summary>Blind spots (WGS84) of the zones an account may see, optionally only below target / of one district / kind.</summary>
    public CoverageFeatureCollection<BlindSpotProperties> BlindSpots(CoverageModel model, UserScope scope, bool belowTargetOnly, string? district, ZoneKind? kind)
    {
        var features = new List<Feature<BlindSpotProperties>>();
        foreach (var i in Visible(model, scope))
        {
            var zone = model.Zones[i];
            var c = model.Incremental.Zones[i];
            if (belowTargetOnly && !c.BelowTarget) continue;
            if (district is not null && zone.District != district) continue;
            if (kind is not null && zone.Kind != kind) continue;
            if (c.BlindSpot.IsEmpty || c.BlindSpot.Area < 0.01) continue;
            features.Add(new(zone.Id, Wgs84(model, c.BlindSpot), new BlindSpotProperties(zone.Id, zone.Name, zone.NameEn, WireNames.Of(zone.Kind), zone.District,
                zone.Target, Fraction(c.CoveredFraction), Fraction(c.Shortfall), Rag(c.CoveredFraction, zone.Target), Round(c.BlindSpot.Area))));
        }
        return new(Version, ComputedAt, features);
    }

    /// <summary>Camera views (occluded, masked; WGS84) that meet a WGS84 box, for the cameras an account may see.</summary>
    public CoverageFeatureCollection<CameraViewProperties> Views(CoverageModel model, UserScope scope, Envelope? bbox, int limit)
    {
        var features = new List<Feature<CameraViewProperties>>();
        // a viewport-sized box is tested in metres first (cheap); a huge one (UTM distorts far from its zone) is not
        var metricBox = bbox is { Width: <= 2, Height: <= 2 } ? MetricEnvelope(model, bbox) : null;
        foreach (var camera in model.Cameras.Values.OrderBy(c => c.Id))
        {
            if (camera.View.IsEmpty || !scope.Allows(camera.District)) continue;
            if (metricBox is not null && !metricBox.Intersects(camera.View.EnvelopeInternal)) continue; // before projecting back
            var view = Wgs84(model, camera.View);
            if (bbox is not null && !bbox.Intersects(view.EnvelopeInternal)) continue;
            var s = camera.Spec;
            var sectorArea = s.Sectors().Sum(x => Math.PI * s.RangeM * s.RangeM * x.FieldOfViewDeg / 360);
            features.Add(new(camera.Id, view, new CameraViewProperties(camera.Id, camera.Name, WireNames.Of(camera.Kind), WireNames.Of(camera.Status),
                s.HeadingDeg, s.FieldOfViewDeg, s.RangeM, Round(camera.View.Area), Round(sectorArea))));
            if (features.Count >= limit) break;
        }
        return new(Version, ComputedAt, features);
    }

    /// <summary>The compliance table as CSV (UTF-8, one line per zone, RFC 4180 quoting).</summary>
    public static string ToCsv(CoverageReportResponse report)
    {
        var csv = new System.Text.StringBuilder("zone_id,name,name_en,kind,district,target,area_m2,covered_m2,covered,shortfall,rag,incidents,incidents_covered,incident_covered,cameras\n");
        foreach (var z in report.Zones.OrderByDescending(z => z.Shortfall).ThenBy(z => z.Id))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{z.Id},{Quote(z.Name)},{Quote(z.NameEn)},{z.Kind},{Quote(z.District)},{z.Target},{z.AreaM2},{z.CoveredM2},")
               .Append(CultureInfo.InvariantCulture, $"{z.Covered},{z.Shortfall},{z.Rag},{z.Incidents},{z.IncidentsCovered},{z.IncidentCovered},{z.Cameras}\n");
        }
        return csv.ToString();

        static string Quote(string? s) => s is null ? "" : s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }

    public static Geometry Wgs84(CoverageModel model, Geometry metric) => model.Projection.ToWgs84(metric);

    /// <summary>A metric envelope holding a small WGS84 box: its corners and edge midpoints projected, widened by 1 % (the
    /// box's edges bend slightly in UTM); a prefilter, the exact test is done in WGS84.</summary>
    private static Envelope MetricEnvelope(CoverageModel model, Envelope wgs84)
    {
        var envelope = new Envelope();
        foreach (var x in new[] { wgs84.MinX, (wgs84.MinX + wgs84.MaxX) / 2, wgs84.MaxX })
        {
            foreach (var y in new[] { wgs84.MinY, (wgs84.MinY + wgs84.MaxY) / 2, wgs84.MaxY })
            {
                envelope.ExpandToInclude(model.Projection.ToMetric(x, y));
            }
        }
        envelope.ExpandBy(0.01 * Math.Max(envelope.Width, envelope.Height) + 1);
        return envelope;
    }

    public static double Round(double value) => Math.Round(value, 1);

    public static double Fraction(double value) => Math.Round(value, 6);
}
