using SituationMap.Server.Infrastructure.GeoJson;

namespace SituationMap.Server.Coverage;

/// <summary>
/// Coverage of a group of zones (all, a zone kind, a district): area-weighted covered fraction in [0, 1], incident-
/// weighted coverage (share of the last incident_days' incidents inside the zones that fell in a camera's view; null
/// without incidents) and how many zones miss their target.
/// </summary>
public sealed record CoverageFigures(
    int Zones, double AreaM2, double CoveredM2, double Covered, int Incidents, int IncidentsCovered, double? IncidentCovered,
    int ZonesBelowTarget);

/// <summary>A zone kind's figures against its default target (null for kinds without one).</summary>
public sealed record KindCoverage(string Kind, double? Target, CoverageFigures Figures);

/// <summary>A district's figures (its zones, whatever their kind).</summary>
public sealed record DistrictCoverage(string District, string? DistrictName, CoverageFigures Figures);

/// <summary>
/// One zone against its target. covered = covered area / zone area; shortfall = max(0, target − covered); rag: green
/// (covered ≥ target), amber (within 10 percentage points below), red (further below). cameras = operational cameras
/// whose view reaches the zone.
/// </summary>
public sealed record ZoneCoverageRow(
    long Id, string Name, string? NameEn, string Kind, string? District, double Target, double AreaM2, double CoveredM2,
    double Covered, double Shortfall, bool BelowTarget, string Rag, int Incidents, int IncidentsCovered, double? IncidentCovered,
    int Cameras);

/// <summary>
/// GET /api/coverage: the compliance board for the zones the account may see (zones with a target: every kind except
/// district unless a target is set). below_target: zone ids, largest shortfall first (then by id). version increases with every
/// change applied (camera edit or status change, zone change, rebuild).
/// </summary>
public sealed record CoverageReportResponse(
    long Version, DateTimeOffset ComputedAt, int IncidentDays, int CamerasOperational, int CamerasTotal,
    CoverageFigures Total, IReadOnlyList<KindCoverage> ByKind, IReadOnlyList<DistrictCoverage> ByDistrict,
    IReadOnlyList<ZoneCoverageRow> Zones, IReadOnlyList<long> BelowTarget);

/// <summary>A blind spot: the part of a zone no operational camera sees (zone minus the union of the views; a Polygon,
/// often with the views as holes, or a MultiPolygon).</summary>
public sealed record BlindSpotProperties(
    long ZoneId, string Name, string? NameEn, string Kind, string? District, double Target, double Covered, double Shortfall,
    string Rag, double BlindM2);

/// <summary>A camera's view: its sector(s), cut by buildings (occlusion) and its privacy masks; empty when not online.</summary>
public sealed record CameraViewProperties(long CameraId, string Name, string Kind, string Status, double HeadingDeg, double FieldOfViewDeg,
    double RangeM, double AreaM2, double SectorAreaM2);

public sealed record CoverageFeatureCollection<TProps>(long Version, DateTimeOffset ComputedAt, IReadOnlyList<Feature<TProps>> Features)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "FeatureCollection";
}

/// <summary>Sent over the live hub after camera or zone changes: the zones whose coverage was recomputed (only those
/// the receiving account may see) and, for city-wide accounts, the new totals.</summary>
public sealed record CoverageUpdated(long Version, DateTimeOffset ComputedAt, string Cause, IReadOnlyList<ZoneCoverageRow> Zones,
    CoverageFigures? Total);

/// <summary>
/// One camera considered for an incident. verdict: "in_view" (online at the time and the place was in its view),
/// "offline_at_time" (its status then was not online), "out_of_view" (outside its sector or range), "occluded" (in its
/// sector but a building blocks the sight line), "privacy_masked" (in a privacy mask). status_at_time from the camera's
/// status history; bearing_deg = compass bearing from the camera to the incident.
/// </summary>
public sealed record EvidenceCamera(long CameraId, string Name, string Kind, string Verdict, string? StatusAtTime, string StatusNow,
    double DistanceM, double BearingDeg, double HeadingDeg, double FieldOfViewDeg, double RangeM, double[] Location);

/// <summary>
/// GET /api/incidents/{id}/evidence: cameras within search_m of the incident, ranked by distance; candidates = those in
/// view (the ones to pull footage from), others = the rest with the reason. The cameras' current placement and
/// building footprints are used (placement history is not kept); their status at occurred_at comes from the history.
/// </summary>
public sealed record EvidenceResponse(long IncidentId, DateTimeOffset OccurredAt, double[] Location, double SearchM,
    IReadOnlyList<EvidenceCamera> Candidates, IReadOnlyList<EvidenceCamera> Others);

/// <summary>The camera model of a recommendation or draft camera: kind (fixed, ptz, dome), field_of_view_deg (0, 360], range_m (0, 1000].</summary>
public sealed record CameraModel(string? Kind, double? FieldOfViewDeg, double? RangeM);

/// <summary>
/// Where candidate sites come from. source: "grid" (a square grid of spacing_m, default 25 m, over the blind spots of the
/// zones below target), "roads" (points every spacing_m, default 20 m, along the roads within half the camera range of
/// those blind spots) or "list" (points: [lon, lat] poles). Options whose view is empty (a site inside a building) are dropped.
/// </summary>
public sealed record CandidateSites(string? Source, double? SpacingM, IReadOnlyList<double[]>? Points);

/// <summary>
/// POST /api/coverage/recommendations (permission planning:write). budget 1–100 new cameras; camera model (default
/// fixed, 90°, 60 m); headings per site (default 8, 1 for ptz/dome); candidates; kind_weights by zone kind (default 1;
/// e.g. {"key_facility": 3}); incident_weight ≥ 0: zones weighted by 1 + incident_weight × (their incident density /
/// mean density) over the last incident_days; district / zone_ids restrict the zones considered.
/// </summary>
public sealed record RecommendationRequest(
    int? Budget, CameraModel? Camera, int? Headings, CandidateSites? Candidates, IReadOnlyDictionary<string, double>? KindWeights,
    double? IncidentWeight, string? District, IReadOnlyList<long>? ZoneIds);

/// <summary>One recommended camera: site, heading, its occluded view, its marginal gain (weighted m², the objective) and
/// the m² of blind spot it newly covers, and the zones whose coverage it changes (fractions before → after this pick).</summary>
public sealed record RecommendedCamera(int Rank, double[] Location, double HeadingDeg, double GainWeighted, double NewlyCoveredM2,
    NetTopologySuite.Geometries.Geometry View, IReadOnlyList<ZoneChange> Zones);

public sealed record ZoneChange(long ZoneId, double Before, double After);

/// <summary>
/// The recommendation: picks in greedy order; sites and options evaluated; optimality = greedy ÷ exhaustive optimum when
/// the instance was small enough to solve exactly (else null); the per-zone coverage after all picks (estimated on the
/// sample grid) for the zones that change; site_spacing_m = the grid or road spacing used (null for a list; without
/// spacing_m in the request it is widened so that sites × headings stay within the option limit).
/// </summary>
public sealed record RecommendationResponse(
    IReadOnlyList<RecommendedCamera> Picks, double ObjectiveWeighted, int Sites, int Options, long GainEvaluations, double? Optimality,
    IReadOnlyList<ZoneChange> ZonesAfter, double? SiteSpacingM, double SampleSpacingM, double ComputeMs);

/// <summary>
/// One change of a draft scenario. op: "add" (ref names the draft camera; location [lon, lat], heading_deg, camera model),
/// "update" (id of an existing camera; any of location, heading_deg, field_of_view_deg, range_m, kind,
/// preset_headings_deg — a move, rotation, new lens or new presets) or "remove" (id). A ptz/dome camera keeps its
/// presets unless new ones are given; a fixed camera has none.
/// </summary>
public sealed record ScenarioChange(string? Op, long? Id, string? Ref, double[]? Location, double? HeadingDeg, double? FieldOfViewDeg,
    double? RangeM, string? Kind, double[]? PresetHeadingsDeg = null);

/// <summary>POST /api/coverage/scenarios/evaluate (planning:write): a draft, evaluated against the current coverage without saving anything.</summary>
public sealed record ScenarioRequest(IReadOnlyList<ScenarioChange>? Changes);

/// <summary>A zone the scenario changes: current vs scenario coverage.</summary>
public sealed record ScenarioZone(long Id, string Name, string? NameEn, string Kind, string? District, double Target, double Before, double After,
    string RagBefore, string RagAfter);

/// <summary>The draft's result: totals and kinds before/after (the account's zones), changed zones, and each draft camera's view
/// (feature id = index of the change; properties.ref / camera_id say which).</summary>
public sealed record ScenarioResponse(long BaseVersion, CoverageFigures TotalBefore, CoverageFigures TotalAfter,
    IReadOnlyList<ScenarioKind> ByKind, IReadOnlyList<ScenarioZone> Zones, IReadOnlyList<Feature<ScenarioViewProperties>> Views);

public sealed record ScenarioKind(string Kind, double? Target, CoverageFigures Before, CoverageFigures After);

public sealed record ScenarioViewProperties(string Op, long? CameraId, string? Ref, double HeadingDeg, double AreaM2);
