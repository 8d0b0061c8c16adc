using System.Globalization;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>
/// A tiny reader of GeoDa/libpysal GAL files: a header line (n, or "0 n name key"), then per unit a line "id k" and a line
/// with its k neighbour ids. Units are numbered in the order their ids appear (libpysal's W.id_order).
/// </summary>
internal sealed class GalFile
{
    private GalFile(string[] ids, SpatialWeights weights)
    {
        Ids = ids;
        Weights = weights;
    }

    /// <summary>Unit ids in file order.</summary>
    public string[] Ids { get; }

    /// <summary>Binary weights in file order.</summary>
    public SpatialWeights Weights { get; }

    public static GalFile Read(string path)
    {
        var tokens = File.ReadAllLines(path).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Where(t => t.Length > 0).ToArray();
        var header = tokens[0];
        var n = int.Parse(header.Length == 1 ? header[0] : header[1], CultureInfo.InvariantCulture);
        var ids = new string[n];
        var lists = new string[n][];
        var line = 1;
        for (var i = 0; i < n; i++)
        {
            ids[i] = tokens[line][0];
            var k = int.Parse(tokens[line][1], CultureInfo.InvariantCulture);
            line++;
            if (k == 0)
            {
                lists[i] = [];
                if (line < tokens.Length && tokens[line].Length == 0) line++;
                continue;
            }
            lists[i] = tokens[line++];
            if (lists[i].Length != k) throw new FormatException($"{path}: unit {ids[i]} announces {k} neighbours but lists {lists[i].Length}.");
        }
        var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
        var neighbours = lists.Select(l => (IReadOnlyList<int>)l.Select(id => index[id]).ToArray()).ToArray();
        return new GalFile(ids, SpatialWeights.FromNeighbours(neighbours));
    }
}
