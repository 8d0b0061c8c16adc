using System.Globalization;
using SituationMap.Analysis.Hotspots;

namespace SituationMap.Server.Hotspots;

/// <summary>
/// Colours a density surface for the map: a yellow-to-dark-red ramp over fractions of the maximum, transparent where
/// the density is below 2 % of the maximum; the legend gives each colour's threshold in incidents per km². O(cells).
/// </summary>
public static class DensityImage
{
    private static readonly (double Fraction, byte R, byte G, byte B, byte A)[] Ramp =
    [
        (0.02, 255, 255, 178, 90),
        (0.10, 254, 217, 118, 150),
        (0.25, 254, 178, 76, 180),
        (0.45, 253, 141, 60, 200),
        (0.65, 240, 59, 32, 215),
        (0.85, 189, 0, 38, 230),
    ];

    public static (byte[] Png, IReadOnlyList<LegendStop> Legend, double Max) Render(DensitySurface surface)
    {
        var (width, height) = (surface.Grid.Width, surface.Grid.Height);
        var max = surface.Values.Length == 0 ? 0 : surface.Values.Max();
        var rgba = new byte[width * height * 4];
        if (max > 0)
        {
            for (var row = 0; row < height; row++)
            {
                var top = height - 1 - row; // the image's first row is the grid's northernmost
                for (var col = 0; col < width; col++)
                {
                    var f = surface.Values[row * width + col] / max;
                    var stop = -1;
                    for (var k = Ramp.Length - 1; k >= 0; k--)
                    {
                        if (f >= Ramp[k].Fraction) { stop = k; break; }
                    }
                    if (stop < 0) continue;
                    var o = (top * width + col) * 4;
                    (rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]) = (Ramp[stop].R, Ramp[stop].G, Ramp[stop].B, Ramp[stop].A);
                }
            }
        }
        var legend = Ramp.Select(s => new LegendStop(
            Math.Round(s.Fraction * max, 2), $"#{s.R:x2}{s.G:x2}{s.B:x2}",
            string.Create(CultureInfo.InvariantCulture, $"≥ {s.Fraction * max:0.#} per km²"))).ToList();
        return (PngImage.Encode(width, height, rgba), legend, Math.Round(max, 3));
    }

    /// <summary>The values per km², row-major from the northernmost row (the image's order).</summary>
    public static double[] TopRowFirst(DensitySurface surface)
    {
        var (width, height) = (surface.Grid.Width, surface.Grid.Height);
        var values = new double[width * height];
        for (var row = 0; row < height; row++)
            Array.Copy(surface.Values, row * width, values, (height - 1 - row) * width, width);
        return values;
    }
}
