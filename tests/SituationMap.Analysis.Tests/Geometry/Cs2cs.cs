using System.Diagnostics;
using System.Globalization;
using SituationMap.Analysis.Geometry;

namespace SituationMap.Analysis.Tests.Geometry;

/// <summary>
/// The reference: PROJ's cs2cs (Debian package proj-bin, installed by scripts/test.sh), run on a batch of points.
/// Points go in and come out in GIS order (x = easting/longitude); the authority axis order PROJ uses for EPSG codes is
/// applied from <see cref="Crs.AuthorityAxisOrderIsNorthFirst"/>, so a wrong flag shows up as a huge error.
/// </summary>
internal static class Cs2cs
{
    public static IReadOnlyList<(double X, double Y)> Transform(Crs from, Crs to, IReadOnlyList<(double X, double Y)> points)
    {
        var input = string.Join('\n', points.Select(p => from.AuthorityAxisOrderIsNorthFirst ? Pair(p.Y, p.X) : Pair(p.X, p.Y))) + "\n";
        var start = new ProcessStartInfo("cs2cs", ["-f", "%.12f", from.Id, to.Id])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("cs2cs (PROJ) is missing: install the Debian package proj-bin (scripts/test.sh does).", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(input);
            process.StandardInput.Close();
            process.WaitForExit();
            var lines = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == points.Count, $"cs2cs {from.Id} {to.Id}: {lines.Length} lines for {points.Count} points. {stderr.Result}");
            return lines.Select(line =>
            {
                var v = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
                return to.AuthorityAxisOrderIsNorthFirst ? (v[1], v[0]) : (v[0], v[1]);
            }).ToList();
        }
    }

    private static string Pair(double a, double b) => string.Create(CultureInfo.InvariantCulture, $"{a:R} {b:R}");
}
