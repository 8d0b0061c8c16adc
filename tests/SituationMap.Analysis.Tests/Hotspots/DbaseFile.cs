using System.Globalization;
using System.Text;

namespace SituationMap.Analysis.Tests.Hotspots;

/// <summary>A tiny dBase III (.dbf) reader: field descriptors, then fixed-width ASCII records; deleted records are skipped.</summary>
internal sealed class DbaseFile
{
    private readonly Dictionary<string, int> _columns;
    private readonly List<string[]> _records;

    private DbaseFile(Dictionary<string, int> columns, List<string[]> records)
    {
        _columns = columns;
        _records = records;
    }

    public int RecordCount => _records.Count;

    public IReadOnlyCollection<string> Fields => _columns.Keys;

    public static DbaseFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var count = BitConverter.ToInt32(bytes, 4);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        int recordLength = BitConverter.ToUInt16(bytes, 10);
        var fields = new List<(string Name, int Length)>();
        for (var offset = 32; offset < headerLength && bytes[offset] != 0x0D; offset += 32)
        {
            var name = Encoding.ASCII.GetString(bytes, offset, 11).TrimEnd('\0', ' ');
            fields.Add((name, bytes[offset + 16]));
        }
        var columns = fields.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.OrdinalIgnoreCase);
        var records = new List<string[]>(count);
        for (var r = 0; r < count; r++)
        {
            var start = headerLength + r * recordLength;
            if (bytes[start] == (byte)'*') continue;
            var values = new string[fields.Count];
            var position = start + 1;
            for (var f = 0; f < fields.Count; f++)
            {
                values[f] = Encoding.Latin1.GetString(bytes, position, fields[f].Length).Trim();
                position += fields[f].Length;
            }
            records.Add(values);
        }
        return new DbaseFile(columns, records);
    }

    public string[] Text(string field) => _records.Select(r => r[_columns[field]]).ToArray();

    public double[] Numbers(string field) => Text(field).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
