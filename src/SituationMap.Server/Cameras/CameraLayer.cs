using NetTopologySuite.Geometries;
using SituationMap.Analysis.Domain;
using SituationMap.Server.Accounts;
using SituationMap.Server.Districts;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.GeoJson;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;
using static SituationMap.Server.Infrastructure.Layers.PropertyRules;

namespace SituationMap.Server.Cameras;

public sealed class CameraLayer : IFeatureLayer<Camera, CameraWrite, CameraProperties>
{
    public static string Name => "cameras";

    public static string Route => "cameras";

    public static string GeometryProperty => nameof(Camera.Location);

    public static GeometryRule GeometryRule => GeometryRule.Point;

    public static string DistrictProperty => nameof(Camera.District);

    public static string WritePermission => Permissions.PlanningWrite;

    public static Geometry? GeometryOf(Camera e) => e.Location;

    public static void Validate(CameraWrite w, Camera? existing, ProblemCollector problems)
    {
        Required(w.Name, "name", problems);
        Text(w.Name, "name", 200, problems);
        RequiredEnum(w.Kind, "kind", problems);
        Required(w.HeadingDeg, "heading_deg", problems, "degrees clockwise from north, [0, 360)");
        Range(w.HeadingDeg, "heading_deg", 0, 360, problems, maxExclusive: true);
        Required(w.FieldOfViewDeg, "field_of_view_deg", problems, "horizontal field of view in degrees, (0, 360]");
        Range(w.FieldOfViewDeg, "field_of_view_deg", 0, 360, problems, minExclusive: true);
        Required(w.RangeM, "range_m", problems, "viewing distance in metres, (0, 1000]");
        Range(w.RangeM, "range_m", 0, 1000, problems, minExclusive: true);
        Range(w.MountingHeightM, "mounting_height_m", 0, 300, problems);
        if (w.Kind == CameraKind.Fixed && w.FieldOfViewDeg > 180)
            problems.Add(At("field_of_view_deg"), "a fixed camera cannot see more than 180°; use kind ptz or dome for wider views.");
        if (w.PresetHeadingsDeg is { } presets)
        {
            if (w.Kind == CameraKind.Fixed) problems.Add(At("preset_headings_deg"), "only ptz and dome cameras have preset positions.");
            else if (presets.Length is 0 or > 32) problems.Add(At("preset_headings_deg"), "list 1–32 preset headings, or leave it out for the full circle.");
            else if (presets.Any(h => !double.IsFinite(h) || h is < 0 or >= 360)) problems.Add(At("preset_headings_deg"), "each preset heading is in degrees clockwise from north, [0, 360).");
            else if (presets.Distinct().Count() != presets.Length) problems.Add(At("preset_headings_deg"), "a preset heading appears twice.");
        }
        NotFuture(w.InstalledAt, "installed_at", problems);
        Text(w.OwnerUnit, "owner_unit", 200, problems);
        Code(w.District, "district", 32, problems);
        ReadMasks(w, problems);
    }

    public static void Apply(CameraWrite w, Geometry geometry, Camera e)
    {
        e.Location = (Point)geometry;
        e.Name = w.Name!;
        e.Kind = w.Kind!.Value;
        e.HeadingDeg = w.HeadingDeg!.Value;
        e.FieldOfViewDeg = w.FieldOfViewDeg!.Value;
        e.PresetHeadingsDeg = w.PresetHeadingsDeg;
        e.RangeM = w.RangeM!.Value;
        e.MountingHeightM = w.MountingHeightM ?? 6;
        e.Status = w.Status ?? (e.Id == 0 ? CameraStatus.Online : e.Status);
        e.PrivacyMasks = ReadMasks(w, new ProblemCollector());
        e.InstalledAt = w.InstalledAt;
        e.OwnerUnit = w.OwnerUnit;
        e.District = w.District;
    }

    public static CameraProperties ToProperties(Camera e) => new(
        e.Name, e.Kind, e.HeadingDeg, e.FieldOfViewDeg, e.PresetHeadingsDeg, e.RangeM, e.MountingHeightM, e.Status, e.PrivacyMasks, e.ViewSector,
        e.InstalledAt, e.OwnerUnit, e.District, e.Version, e.CreatedAt, e.UpdatedAt);

    public static async Task PrepareAsync(SituationMapDb db, Camera e, ProblemCollector problems, CancellationToken ct) =>
        e.District = await DistrictLookup.ResolveAsync(db, e.District, e.Location, problems, ct);

    private static MultiPolygon? ReadMasks(CameraWrite w, ProblemCollector problems) =>
        w.PrivacyMasks is { ValueKind: not System.Text.Json.JsonValueKind.Null } json
            ? (MultiPolygon?)GeoJsonGeometryReader.Read(json, At("privacy_masks"), GeometryRule.Areas, problems)
            : null;
}
