using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using SituationMap.Server.Infrastructure.Database;
using SituationMap.Server.Infrastructure.Layers;
using SituationMap.Server.Infrastructure.Problems;

namespace SituationMap.Server.Districts;

/// <summary>Which district a feature belongs to (ST_Intersects on districts.geom, GiST index).</summary>
public static class DistrictLookup
{
    /// <summary>
    /// The district of a feature: the one containing the geometry's interior point (the smallest, if districts nest),
    /// whatever the client sent — so a moved feature never keeps a stale district. Only where no district contains it
    /// is the given code used (it must exist, when districts are defined at all), else null.
    /// </summary>
    public static async Task<string?> ResolveAsync(SituationMapDb db, string? given, Geometry geometry, ProblemCollector problems, CancellationToken ct)
    {
        var point = geometry is Point p ? p : geometry.InteriorPoint;
        var containing = await db.Districts.AsNoTracking()
            .Where(d => d.Area.Intersects(point))
            .OrderBy(d => d.Area.Area)
            .Select(d => d.Code)
            .FirstOrDefaultAsync(ct);
        if (containing is not null || given is null) return containing;
        if (!await db.Districts.AnyAsync(d => d.Code == given, ct) && await db.Districts.AnyAsync(ct))
            problems.Add(PropertyRules.At("district"), $"there is no district with code '{given}'.");
        return given;
    }
}
