using System.Globalization;
using SituationMap.Analysis.Hotspots;
using Xunit.Abstractions;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>Inputs of esda's reference tests, read in place from ../shared/geodata-external/pysal-examples.</summary>
internal static class PysalExamples
{
    /// <summary>St Louis: HR8893 from stl_hom.txt and stl.gal (ids 1..78 in record order).</summary>
    public static (double[] Values, SpatialWeights Weights)? StLouis(ITestOutputHelper output)
    {
        var (folder, reason) = ExternalData.Locate("pysal-examples", "stl");
        if (folder is null)
        {
            output.WriteLine(reason);
            return null;
        }
        var gal = GalFile.Read(Path.Combine(folder, "stl.gal"));
        var rows = ReadCsvAfterCountLine(Path.Combine(folder, "stl_hom.txt"));
        var byId = rows.ToDictionary(r => r["FIPSNO"], r => r["HR8893"]);
        var ids = Enumerable.Range(1, rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(ids, gal.Ids);  // stl.gal numbers the units 1..78 in record order
        var values = rows.Select(r => double.Parse(r["HR8893"], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(byId.Count, values.Length);
        return (values, gal.Weights);
    }

    /// <summary>North Carolina SIDS: SIDR74 from sids2.dbf aligned by FIPSNO with the order of sids2.gal.</summary>
    public static (double[] Values, SpatialWeights Weights)? Sids(ITestOutputHelper output)
    {
        var (folder, reason) = ExternalData.Locate("pysal-examples", "sids2");
        if (folder is null)
        {
            output.WriteLine(reason);
            return null;
        }
        var gal = GalFile.Read(Path.Combine(folder, "sids2.gal"));
        var dbf = DbaseFile.Read(Path.Combine(folder, "sids2.dbf"));
        var fips = dbf.Numbers("FIPSNO").Select(f => ((long)f).ToString(CultureInfo.InvariantCulture)).ToArray();
        var rates = dbf.Numbers("SIDR74");
        var byId = fips.Zip(rates).ToDictionary(p => p.First, p => p.Second);
        return (gal.Ids.Select(id => byId[id]).ToArray(), gal.Weights);
    }

    /// <summary>desmith: z from desmith.txt and desmith.gal (ids 1..10).</summary>
    public static (double[] Values, SpatialWeights Weights)? DeSmith(ITestOutputHelper output)
    {
        var (folder, reason) = ExternalData.Locate("pysal-examples", "desmith");
        if (folder is null)
        {
            output.WriteLine(reason);
            return null;
        }
        var gal = GalFile.Read(Path.Combine(folder, "desmith.gal"));
        var rows = ReadCsvAfterCountLine(Path.Combine(folder, "desmith.txt"));
        Assert.Equal(rows.Select(r => r["id"]).ToArray(), gal.Ids);
        return (rows.Select(r => double.Parse(r["z"], CultureInfo.InvariantCulture)).ToArray(), gal.Weights);
    }

    /// <summary>libpysal's "geoda txt" format: "n,k", a quoted CSV header, then rows.</summary>
    private static List<Dictionary<string, string>> ReadCsvAfterCountLine(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[1].Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        return lines.Skip(2)
            .Select(l => l.Split(',').Select(v => v.Trim().Trim('"')).ToArray())
            .Select(v => header.Zip(v).ToDictionary(p => p.First, p => p.Second))
            .ToList();
    }
}
