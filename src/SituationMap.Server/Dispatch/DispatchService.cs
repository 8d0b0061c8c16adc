using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;
using SituationMap.Analysis.Domain;
using SituationMap.Analysis.Patrol;
using SituationMap.Analysis.Routing;
using SituationMap.Server.Accounts;
using SituationMap.Server.Audit;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Problems;
using SituationMap.Server.Routing;

namespace SituationMap.Server.Dispatch;

/// <summary>
/// Dispatch: which available unit reaches an incident first by road, and assigning one.
/// <para><b>Ranking.</b> Every available unit with a position (within the account's districts) is snapped to the
/// nearest road its mode may use (vehicles drive, bicycle and foot teams ride/walk) and the incident to the same mode's
/// network; travel times come from the mode's contraction hierarchy (many-to-one: one backward search from the
/// incident, one pruned forward search per unit), then each unit's route is unpacked for its distance and line. ETA is
/// road time at free-flow speeds from the last known position; the few metres between a position and its road are not
/// counted.</para>
/// <para><b>Assigning</b> is a compare-and-set in one transaction: the incident row is locked (it must still be
/// open), the unit is set busy only <i>if it is still available</i> (UPDATE … WHERE status = 'available'), the
/// incident goes reported → dispatched, and the dispatch record and an audit row are written. Of two dispatchers who
/// assign the same unit at the same time exactly one succeeds; the other gets 409 naming the incident the unit went
/// to, who assigned it and when. Unit and incident changes reach the live map through the change log. Releasing is
/// the database's job (Dispatch/dispatch.sql): resolving, closing, cancelling or recalling the incident frees its
/// units.</para>
/// </summary>
public sealed class DispatchService(NpgsqlDataSource dataSource, RoadNetwork network, TimeProvider clock)
{
    /// <summary>How many of the first ranked units get their route line in the options.</summary>
    public const int DefaultRouteLines = 5;

    private const string OpenStatuses = "('reported', 'dispatched', 'on_scene')";

    private sealed record UnitRow(long Id, string CallSign, PatrolLevel Level, PatrolMode Mode, string? District, int Version, Point? Position, DateTimeOffset? LastSeen);

    private sealed record IncidentRow(long Id, IncidentStatus Status, int Version, string? District, Point Location);

    /// <summary>The ranked options for an incident; null when it does not exist or lies outside the account's districts.</summary>
    public async Task<DispatchOptionsResponse?> OptionsAsync(long incidentId, UserScope scope, int routeLines, CancellationToken ct)
    {
        var incident = await ReadIncidentAsync(incidentId, scope, ct);
        if (incident is null) return null;
        var units = new List<UnitRow>();
        await using (var cmd = dataSource.CreateCommand(
            "SELECT id, call_sign, level, mode, district, version, geom, last_seen FROM patrol_units " +
            "WHERE status = 'available' AND ($1::text[] IS NULL OR district = ANY ($1)) ORDER BY id"))
        {
            cmd.Parameters.Add(Districts(scope));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) units.Add(ReadUnit(r));
        }
        var ranked = await RankAsync(incident.Location, units, routeLines, ct);
        var assigned = new List<AssignedUnit>();
        await using (var cmd = dataSource.CreateCommand(
            "SELECT d.unit_id, u.call_sign, d.assigned_at, d.actor, d.eta_seconds, d.arrived_at FROM dispatches d " +
            "JOIN patrol_units u ON u.id = d.unit_id WHERE d.incident_id = $1 AND d.released_at IS NULL ORDER BY d.assigned_at"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incidentId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                assigned.Add(new AssignedUnit(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3),
                    r.IsDBNull(4) ? null : r.GetDouble(4), r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5)));
            }
        }
        return new DispatchOptionsResponse(incident.Id, incident.Status, incident.Version, incident.Location, clock.GetUtcNow(),
            [.. ranked.Where(c => c.EtaS is not null)], [.. ranked.Where(c => c.EtaS is null)], assigned);
    }

    /// <summary>Candidates with ETA first (ascending, ties by call sign), then the unranked ones; the first
    /// <paramref name="routeLines"/> get their route line.</summary>
    private async Task<List<DispatchCandidate>> RankAsync(Point target, IReadOnlyList<UnitRow> units, int routeLines, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        double? Age(UnitRow u) => u.LastSeen is { } seen ? Math.Max(0, Math.Round((now - seen).TotalSeconds)) : null;
        DispatchCandidate Unranked(UnitRow u, string why) => new(u.Id, u.CallSign, u.Level, u.Mode, u.District, u.Version, Age(u), null, null, why, null);
        var snapshot = await network.GetAsync(ct);
        var result = new List<(DispatchCandidate Candidate, RoadRoute? Route)>();
        if (snapshot is null)
        {
            return [.. units.Select(u => Unranked(u, "there is no road network (the roads layer is empty)"))];
        }
        foreach (var group in units.GroupBy(u => u.Mode.ToTravelMode()))
        {
            var mode = group.Key;
            var targetPosition = snapshot.Snap(target, mode);
            var withPosition = new List<(UnitRow Unit, RoadPosition Position)>();
            foreach (var u in group)
            {
                if (u.Position is null) result.Add((Unranked(u, "has not reported a position"), null));
                else if (targetPosition is null) result.Add((Unranked(u, $"the incident is more than {RoadNetworkSnapshot.MaxSnapM:0} m from any road usable by {WireNames.Of(u.Mode)}"), null));
                else if (snapshot.Snap(u.Position, mode) is { } p) withPosition.Add((u, p));
                else result.Add((Unranked(u, $"is more than {RoadNetworkSnapshot.MaxSnapM:0} m from any road usable by {WireNames.Of(u.Mode)}"), null));
            }
            if (withPosition.Count == 0) continue;
            var hierarchy = snapshot.Hierarchy(mode);
            var seconds = hierarchy.TravelTimesTo([.. withPosition.Select(w => w.Position)], targetPosition!);
            for (var i = 0; i < withPosition.Count; i++)
            {
                var u = withPosition[i].Unit;
                if (double.IsPositiveInfinity(seconds[i])) { result.Add((Unranked(u, "no road route leads from it to the incident"), null)); continue; }
                var route = RoadRoutes.Between(hierarchy, withPosition[i].Position, targetPosition!);
                result.Add((new DispatchCandidate(u.Id, u.CallSign, u.Level, u.Mode, u.District, u.Version, Age(u),
                    Math.Round(seconds[i], 1), route is null ? null : Math.Round(route.LengthM, 1), null, null), route));
            }
        }
        var ordered = result.OrderBy(c => c.Candidate.EtaS is null).ThenBy(c => c.Candidate.EtaS).ThenBy(c => c.Candidate.CallSign, StringComparer.Ordinal).ToList();
        for (var i = 0; i < Math.Min(routeLines, ordered.Count); i++)
        {
            if (ordered[i].Route is { } r) ordered[i] = (ordered[i].Candidate with { Route = snapshot.ToWgs84(r.Geometry) }, r);
        }
        return [.. ordered.Select(c => c.Candidate)];
    }

    /// <summary>Assigns the unit; the result, or a problem (404 incident, 422 unit, 409 unit no longer available or incident closed).</summary>
    public async Task<(DispatchResult? Result, IResult? Problem)> AssignAsync(SituationMapDb db, long incidentId, DispatchRequest request, UserScope scope, AuditActor? actor, CancellationToken ct)
    {
        if (request.UnitId is not { } unitId) return (null, ApiProblems.Single("/unit_id", "is required: the id of the unit to send."));
        var incident = await ReadIncidentAsync(incidentId, scope, ct);
        if (incident is null) return (null, ApiProblems.NotFound("incidents", incidentId));
        UnitRow? unit = null;
        await using (var cmd = dataSource.CreateCommand("SELECT id, call_sign, level, mode, district, version, geom, last_seen FROM patrol_units WHERE id = $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unitId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) unit = ReadUnit(r);
        }
        if (unit is null || !scope.Allows(unit.District)) return (null, ApiProblems.Single("/unit_id", $"there is no patrol unit {unitId}."));
        var ranked = await RankAsync(incident.Location, [unit], 1, ct);
        var (eta, distance, route) = (ranked[0].EtaS, ranked[0].DistanceM, ranked[0].Route);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var tx = await db.Database.BeginTransactionAsync(ct); // the audit interceptor names the actor
        var ntx = (NpgsqlTransaction)tx.GetDbTransaction();
        // 1. the incident, locked: it must still be open (a concurrent resolve waits for us or we for it)
        IncidentStatus status;
        int incidentVersion;
        await using (var cmd = new NpgsqlCommand("SELECT status, version FROM incidents WHERE id = $1 FOR UPDATE", connection, ntx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incidentId });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return (null, ApiProblems.NotFound("incidents", incidentId));
            status = WireNames.Parse<IncidentStatus>(r.GetString(0));
            incidentVersion = r.GetInt32(1);
        }
        if (status is not (IncidentStatus.Reported or IncidentStatus.Dispatched or IncidentStatus.OnScene))
        {
            return (null, ApiProblems.Problem(StatusCodes.Status409Conflict, "incident-not-open", "The incident is no longer open.",
                $"Incident {incidentId} is {WireNames.Of(status)}; only reported, dispatched and on-scene incidents take units.",
                new Dictionary<string, object?> { ["incident_status"] = WireNames.Of(status) }));
        }
        // 2. the unit: compare-and-set on its availability
        int unitVersion;
        await using (var cmd = new NpgsqlCommand(
            "UPDATE patrol_units SET status = 'busy', assigned_incident_id = $2 WHERE id = $1 AND status = 'available' RETURNING version", connection, ntx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unitId });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incidentId });
            var v = await cmd.ExecuteScalarAsync(ct);
            if (v is null)
            {
                await tx.RollbackAsync(ct);
                return (null, await UnavailableAsync(unit, ct));
            }
            unitVersion = (int)v;
        }
        // 3. the incident moves on (an incident already dispatched or on scene keeps its status: this is another unit)
        if (status == IncidentStatus.Reported)
        {
            await using var cmd = new NpgsqlCommand("UPDATE incidents SET status = 'dispatched' WHERE id = $1 RETURNING version", connection, ntx);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incidentId });
            incidentVersion = (int)(await cmd.ExecuteScalarAsync(ct))!;
            status = IncidentStatus.Dispatched;
        }
        // 4. the record and the audit row
        long dispatchId;
        DateTimeOffset assignedAt;
        await using (var cmd = new NpgsqlCommand(
            "INSERT INTO dispatches (incident_id, unit_id, actor, eta_seconds, distance_m) VALUES ($1, $2, $3, $4, $5) RETURNING id, assigned_at", connection, ntx))
        {
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = incidentId });
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unitId });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor?.Name ?? "sql" });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)eta ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)distance ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (dispatchId, assignedAt) = (r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1));
        }
        await AuditContext.RecordAsync(connection, ntx, "dispatch", "incidents", incidentId,
            new { unit_id = unitId, call_sign = unit.CallSign, dispatch_id = dispatchId, eta_s = eta, distance_m = distance }, ct);
        var txid = await ChangeSeq.TransactionIdAsync(db, ct);
        await tx.CommitAsync(ct);
        // a dispatch always updates the incident and the unit, so it always logs changes
        var seq = await ChangeSeq.OfTransactionAsync(db, txid, ct) ?? throw new InvalidOperationException("The dispatch logged no change.");
        return (new DispatchResult(dispatchId, incidentId, status, incidentVersion, unitId, unit.CallSign, unitVersion, assignedAt, eta, distance, route, seq), null);
    }

    /// <summary>409: the unit is not available any more — with what it is doing now, if it was dispatched.</summary>
    private async Task<IResult> UnavailableAsync(UnitRow unit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT u.status, u.assigned_incident_id, d.actor, d.assigned_at FROM patrol_units u " +
            "LEFT JOIN dispatches d ON d.unit_id = u.id AND d.released_at IS NULL WHERE u.id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = unit.Id });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var extensions = new Dictionary<string, object?> { ["unit_id"] = unit.Id };
        var detail = $"Unit {unit.CallSign} is no longer available.";
        if (await r.ReadAsync(ct))
        {
            var status = r.GetString(0);
            extensions["unit_status"] = status;
            detail = $"Unit {unit.CallSign} is {status.Replace('_', ' ')}";
            if (!r.IsDBNull(1))
            {
                var incident = r.GetInt64(1);
                extensions["assigned_incident_id"] = incident;
                detail += $": it was sent to incident {incident}";
                if (!r.IsDBNull(2))
                {
                    extensions["assigned_by"] = r.GetString(2);
                    extensions["assigned_at"] = r.GetFieldValue<DateTimeOffset>(3);
                    detail += $" by {r.GetString(2)} at {r.GetFieldValue<DateTimeOffset>(3):HH:mm:ss} UTC";
                }
            }
            detail += ". Choose another unit.";
        }
        return ApiProblems.Problem(StatusCodes.Status409Conflict, "unit-unavailable", "The unit is no longer available.", detail, extensions);
    }

    private async Task<IncidentRow?> ReadIncidentAsync(long id, UserScope scope, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, status, version, district, geom FROM incidents WHERE id = $1 AND ($2::text[] IS NULL OR district = ANY ($2))");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        cmd.Parameters.Add(Districts(scope));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new IncidentRow(r.GetInt64(0), WireNames.Parse<IncidentStatus>(r.GetString(1)), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetFieldValue<Point>(4));
    }

    private static UnitRow ReadUnit(NpgsqlDataReader r) => new(r.GetInt64(0), r.GetString(1), (PatrolLevel)r.GetInt16(2),
        WireNames.Parse<PatrolMode>(r.GetString(3)), r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<Point>(6), r.IsDBNull(7) ? null : r.GetFieldValue<DateTimeOffset>(7));

    private static NpgsqlParameter Districts(UserScope scope) =>
        new() { Value = (object?)scope.DistrictArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
