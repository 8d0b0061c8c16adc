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
    /// The given district code if it exists (a problem otherwise, when districts are defined at all), or else the code
    /// of the district containing the geometry's interior point (the smallest, if districts nest), or null.
    /// </summary>
    public static async Task<string?> ResolveAsync(SituationMapDb db, string? given, Geometry geometry, ProblemCollector problems, CancellationToken ct)
    {
        if (given is not null)
        {
            if (!await db.Districts.AnyAsync(d => d.Code == given, ct) && await db.Districts.AnyAsync(ct))
                problems.Add(PropertyRules.At("district"), $"there is no district with code '{given}'.");
            return given;
        }
        var point = geometry is Point p ? p : geometry.InteriorPoint;
        return await db.Districts.AsNoTracking()
            .Where(d => d.Area.Intersects(point))
            .OrderBy(d => d.Area.Area)
            .Select(d => d.Code)
            .FirstOrDefaultAsync(ct);
    }
}
