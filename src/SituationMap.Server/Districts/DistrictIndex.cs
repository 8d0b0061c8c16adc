using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using SituationMap.Server.Infrastructure.Database;

namespace SituationMap.Server.Districts;

/// <summary>
/// The districts in memory, for bulk work (imports of 100,000s of rows) where <see cref="DistrictLookup"/>'s one query per
/// feature would dominate: the same rule — the smallest district intersecting the feature's interior point, else the
/// given code if it exists — answered from prepared geometries in an STR tree (O(log n) per feature).
/// </summary>
public sealed class DistrictIndex
{
    private readonly STRtree<(string Code, double Area, IPreparedGeometry Shape)> _tree = new();
    private readonly HashSet<string> _codes = new(StringComparer.Ordinal);

    private DistrictIndex()
    {
    }

    public static async Task<DistrictIndex> LoadAsync(SituationMapDb db, CancellationToken ct)
    {
        var index = new DistrictIndex();
        foreach (var d in await db.Districts.AsNoTracking().Select(d => new { d.Code, d.Area }).ToListAsync(ct))
        {
            index._codes.Add(d.Code);
            index._tree.Insert(d.Area.EnvelopeInternal, (d.Code, d.Area.Area, PreparedGeometryFactory.Prepare(d.Area)));
        }
        index._tree.Build();
        return index;
    }

    public bool HasDistricts => _codes.Count > 0;

    public bool Exists(string code) => _codes.Contains(code);

    /// <summary>The district containing the geometry's interior point (the smallest when districts nest), or null.</summary>
    public string? Containing(Geometry geometry)
    {
        var point = geometry is Point p ? p : geometry.InteriorPoint;
        string? best = null;
        var bestArea = double.MaxValue;
        foreach (var (code, area, shape) in _tree.Query(point.EnvelopeInternal))
        {
            if (area < bestArea && shape.Intersects(point))
            {
                best = code;
                bestArea = area;
            }
        }
        return best;
    }
}
