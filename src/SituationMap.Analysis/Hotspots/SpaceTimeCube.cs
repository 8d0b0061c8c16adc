namespace SituationMap.Analysis.Hotspots;

/// <summary>
/// Values (usually event counts) per cell and time step, as ArcGIS's space-time cube: cells are the spatial units
/// (grid cells or polygons, numbered as their weights), steps are equal time intervals, oldest first. Stored cell-major:
/// <c>cell · StepCount + step</c>, so each cell's time series is contiguous.
/// </summary>
public sealed class SpaceTimeCube
{
    private readonly double[] _values;

    public SpaceTimeCube(int cellCount, int stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cellCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stepCount, 1);
        if ((long)cellCount * stepCount > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(stepCount), "The cube is too large.");
        CellCount = cellCount;
        StepCount = stepCount;
        _values = new double[cellCount * stepCount];
    }

    /// <summary>A cube from cell-major values (copied).</summary>
    public SpaceTimeCube(int cellCount, int stepCount, ReadOnlySpan<double> cellMajorValues)
        : this(cellCount, stepCount)
    {
        if (cellMajorValues.Length != _values.Length) throw new ArgumentException($"Expected {cellCount} × {stepCount} values.", nameof(cellMajorValues));
        cellMajorValues.CopyTo(_values);
    }

    public int CellCount { get; }

    public int StepCount { get; }

    public double this[int cell, int step]
    {
        get => _values[Index(cell, step)];
        set => _values[Index(cell, step)] = value;
    }

    /// <summary>All values, cell-major.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>One cell's values over time.</summary>
    public ReadOnlySpan<double> Series(int cell) => _values.AsSpan(Index(cell, 0), StepCount);

    public void Add(int cell, int step, double amount = 1) => _values[Index(cell, step)] += amount;

    /// <summary>Counts of events given their cell and step; events with a cell or step out of range are skipped. O(events).</summary>
    public static SpaceTimeCube FromEvents(ReadOnlySpan<int> cells, ReadOnlySpan<int> steps, int cellCount, int stepCount)
    {
        if (cells.Length != steps.Length) throw new ArgumentException("One step per event.", nameof(steps));
        var cube = new SpaceTimeCube(cellCount, stepCount);
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] >= 0 && cells[i] < cellCount && steps[i] >= 0 && steps[i] < stepCount) cube._values[cells[i] * stepCount + steps[i]]++;
        }
        return cube;
    }

    private int Index(int cell, int step)
    {
        if ((uint)cell >= (uint)CellCount) throw new ArgumentOutOfRangeException(nameof(cell), cell, $"Cells are 0..{CellCount - 1}.");
        if ((uint)step >= (uint)StepCount) throw new ArgumentOutOfRangeException(nameof(step), step, $"Steps are 0..{StepCount - 1}.");
        return cell * StepCount + step;
    }
}
