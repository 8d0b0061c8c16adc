using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Coverage;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Geometry;
using SituationMap.Server.Accounts;

namespace SituationMap.Server.Coverage;

/// <summary>
/// Which cameras may have recorded an incident: the cameras within the search radius, each judged by geometry first
/// (outside its sector or range → out_of_view; in a privacy mask → privacy_masked; behind a building → occluded, using
/// the coverage model's buildings) and then by its status at the time the incident occurred, from the status history
/// (not online → offline_at_time; no history yet → not_installed). Candidates are the ones left (in_view), nearest first.
/// The cameras' current placement is used: placement changes are not versioned.
/// </summary>
public sealed class EvidenceFinder(NpgsqlDataSource dataSource, CoverageService coverage)
{
    private const string Sql = CoverageModel.CameraColumns + """
        , sm_camera_status_at(id, $2) AS status_then, ST_Distance(geom::geography, $1::geography) AS distance_m
        FROM cameras
        WHERE ST_DWithin(geom::geography, $1::geography, $3)
        ORDER BY distance_m, id
        """;

    /// <summary>null when the incident does not exist or is outside the account's districts.</summary>
    public async Task<EvidenceResponse?> FindAsync(long incidentId, double searchM, UserScope scope, CancellationToken ct)
    {
        Point location;
        DateTimeOffset occurredAt;
        await using (var cmd = dataSource.CreateCommand("SELECT geom, occurred_at FROM incidents WHERE id = $1 AND ($2::text[] IS NULL OR district = ANY ($2))"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incidentId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            location = r.GetFieldValue<Point>(0);
            occurredAt = r.GetFieldValue<DateTimeOffset>(1);
        }

        var rows = new List<(CameraRow Camera, string? StatusThen, double DistanceM)>();
        await using (var cmd = dataSource.CreateCommand(Sql))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = location });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = occurredAt });
            cmd.Parameters.Add(new NpgsqlParameter<double> { TypedValue = searchM });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows.Add((CoverageModel.ReadCamera(r), r.IsDBNull(11) ? null : r.GetString(11), r.GetDouble(12)));
        }

        // the model's viewshed has every building as an obstacle; the projection is the model's (or the incident's zone without one)
        var model = await coverage.ReadAsync(m => m, ct);
        var projection = model?.Projection ?? MetricProjection.ForLocation(location.X, location.Y);
        var viewshed = model?.Viewshed ?? new CameraViewshed(null, projection.Factory);
        var target = projection.ToMetric(location.X, location.Y);
        var candidates = new List<EvidenceCamera>();
        var others = new List<EvidenceCamera>();
        foreach (var (c, statusThen, distance) in rows)
        {
            var spec = CoverageModel.Spec(projection, c, CameraStatus.Online);
            var verdict = Verdict(viewshed, spec, target, statusThen);
            var bearing = CameraViewshed.NormalizeDeg(Math.Atan2(target.X - spec.Position.X, target.Y - spec.Position.Y) * 180 / Math.PI);
            var camera = new EvidenceCamera(c.Id, c.Name, WireNames.Of(c.Kind), verdict, statusThen, WireNames.Of(c.Status), Math.Round(distance, 1),
                Math.Round(bearing, 1), c.Heading, c.Fov, c.Range, [c.Location.X, c.Location.Y]);
            (verdict == "in_view" ? candidates : others).Add(camera);
        }
        return new EvidenceResponse(incidentId, occurredAt, [location.X, location.Y], searchM, candidates, others);
    }

    private static string Verdict(CameraViewshed viewshed, CameraSpec spec, Coordinate target, string? statusThen)
    {
        var factory = viewshed.Factory;
        var sectors = spec.Sectors().Select(s => (Geometry)CameraViewshed.Sector(spec.Position, s.HeadingDeg, s.FieldOfViewDeg, spec.RangeM, factory)).ToList();
        if (!sectors.Any(s => Inside(s, target))) return "out_of_view";
        if (spec.PrivacyMasks?.Any(m => Inside(m, target)) == true) return "privacy_masked";
        if (!Inside(viewshed.View(spec), target)) return "occluded";
        if (statusThen is null) return "not_installed";
        return statusThen == WireNames.Of(CameraStatus.Online) ? "in_view" : "offline_at_time";
    }

    /// <summary>Inside or on the boundary, with a millimetre of tolerance for the chord approximation of arcs.</summary>
    private static bool Inside(Geometry area, Coordinate point) =>
        !area.IsEmpty && (new IndexedPointInAreaLocator(area).Locate(point) != Location.Exterior || area.Distance(area.Factory.CreatePoint(point)) < 1e-3);
}
