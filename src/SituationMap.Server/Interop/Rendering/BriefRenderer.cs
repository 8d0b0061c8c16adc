using System.Globalization;
using SkiaSharp;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>
/// Lays out a <see cref="BriefData"/> on one A4 portrait page (595 × 842 pt) with SKDocument.CreatePdf: a header band,
/// the period/generated/scope/account line, four counter tiles (open incidents, incidents in the period, units,
/// cameras), the map (drawn by <see cref="MapRenderer"/> on the page, so it stays vector), incidents by category ×
/// status, the top increases and the newest severity-4 incidents. Everything has a fixed place, so it is always one page.
/// </summary>
public static class BriefRenderer
{
    public const float PageWidth = 595.28f;
    public const float PageHeight = 841.89f;
    public const float Margin = 36;
    public const float MapTop = 198;
    public const float MapHeight = 316;

    private static readonly string[] StatusColumns = ["reported", "dispatched", "on_scene", "resolved", "closed", "cancelled"];
    private static readonly string[] StatusHeaders = ["Reported", "Dispatched", "On scene", "Resolved", "Closed", "Cancelled"];
    private static readonly string[] Categories =
        ["violent", "robbery", "burglary", "property_theft", "fraud", "traffic", "public_order", "dispute", "fire_hazard", "other"];

    private static readonly SKColor Ink = SKColor.Parse("#1c2a3f");
    private static readonly SKColor Dim = SKColor.Parse("#5b6b82");
    private static readonly SKColor Rule = SKColor.Parse("#d3d9e2");
    private static readonly SKColor Band = SKColor.Parse("#0d1626");
    private static readonly SKColor Accent = SKColor.Parse("#3fa7ff");
    private static readonly SKColor Up = SKColor.Parse("#d4380d");
    private static readonly SKColor Tile = SKColor.Parse("#f3f5f8");

    /// <summary>The map's size on the page (points), for the <see cref="MapView"/> the brief's scene is read with.</summary>
    public static (int Width, int Height) MapSize => ((int)(PageWidth - 2 * Margin), (int)MapHeight);

    public static byte[] RenderPdf(BriefData brief, TimeZoneInfo zone)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = "Situation brief",
            Author = "SituationMap",
            Creator = "SituationMap",
            Producer = "SituationMap (SkiaSharp)",
            Subject = $"Last {brief.Hours} h to {MapRenderer.FormatTime(brief.To, zone)}",
            Creation = brief.Map.GeneratedAt.UtcDateTime,
            Modified = brief.Map.GeneratedAt.UtcDateTime,
            RasterDpi = 150,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            var canvas = document.BeginPage(PageWidth, PageHeight);
            Draw(canvas, brief, zone);
            document.EndPage();
            document.Close();
        }
        return stream.ToArray();
    }

    private static void Draw(SKCanvas canvas, BriefData brief, TimeZoneInfo zone)
    {
        canvas.Clear(SKColors.White);
        var right = PageWidth - Margin;
        using var band = new SKPaint { Color = Band };
        canvas.DrawRect(new SKRect(0, 0, PageWidth, 72), band);
        using var accent = new SKPaint { Color = Accent };
        canvas.DrawRect(new SKRect(0, 72, PageWidth, 75), accent);
        Text(canvas, "SITUATION BRIEF", Margin, 36, 20, SKColors.White, bold: true);
        Text(canvas, $"Shift hand-over · the last {brief.Hours} hours", Margin, 55, 10.5f, SKColor.Parse("#a9bbd4"));
        Text(canvas, "SituationMap", right, 34, 13, SKColors.White, bold: true, align: SKTextAlign.Right);
        Text(canvas, "FOR OFFICIAL USE ONLY", right, 52, 8, SKColor.Parse("#ff8c8c"), bold: true, align: SKTextAlign.Right);

        var half = (right - Margin) / 2;
        var column = Margin + 330;
        Field(canvas, "Period", $"{MapRenderer.FormatTime(brief.From, zone)} – {MapRenderer.FormatTime(brief.To, zone)}", Margin, 94);
        Field(canvas, "Generated", MapRenderer.FormatTime(brief.Map.GeneratedAt, zone), column, 94);
        Field(canvas, "Scope", brief.Scope.DistrictArray is { } d ? "Districts " + string.Join(", ", d) : "All districts (city-wide)", Margin, 122);
        Field(canvas, "Prepared for", brief.Account, column, 122);

        DrawTiles(canvas, brief, 140);

        canvas.Save();
        canvas.Translate(Margin, MapTop);
        MapRenderer.Draw(canvas, brief.Map, new MapStyle(MapTheme.Paper, zone, Header: false));
        canvas.Restore();
        using var frame = new SKPaint { Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f, Color = SKColor.Parse("#8a97a8"), IsAntialias = true };
        canvas.DrawRect(new SKRect(Margin, MapTop, right, MapTop + MapHeight), frame);
        Text(canvas, $"Map: incidents that occurred in the period ({brief.Map.IncidentCount.ToString("N0", CultureInfo.InvariantCulture)} in view), cameras, patrol units, routes and zones now.",
            Margin, MapTop + MapHeight + 11, 7.5f, Dim);

        DrawCategoryTable(canvas, brief, MapTop + MapHeight + 28);
        DrawChanges(canvas, brief, Margin, 704, half - 8);
        DrawSevere(canvas, brief, zone, Margin + half + 8, 704, half - 8);

        using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f };
        canvas.DrawLine(Margin, PageHeight - 30, right, PageHeight - 30, rule);
        Text(canvas, "Generated by SituationMap from live data. Counts cover the scope; the map shows the requested area. Addresses are redacted.",
            Margin, PageHeight - 18, 7, Dim);
        Text(canvas, "Page 1 of 1", right, PageHeight - 18, 7, Dim, align: SKTextAlign.Right);
    }

    private static void DrawTiles(SKCanvas canvas, BriefData brief, float top)
    {
        var s = brief.Situation;
        var open = s.Incidents.Open;
        var sev = open.BySeverity;
        var since = s.Incidents.OpenAtShiftStart is { } then ? $"{Signed(open.Total - then.Total)} since period start" : "no snapshot at period start";
        var change = CountChangeText(brief.InPeriod, brief.InPreviousPeriod);
        var tiles = new (string Label, string Value, string Line1, string Line2, SKColor Color)[]
        {
            ("OPEN INCIDENTS", N(open.Total), $"S4 {N(sev["4"])} · S3 {N(sev["3"])} · S2 {N(sev["2"])} · S1 {N(sev["1"])}", since, MapTheme.SeverityColors[4]),
            ($"OCCURRED IN {brief.Hours} H", N(brief.InPeriod), $"previous {brief.Hours} h: {N(brief.InPreviousPeriod)}", change, Accent),
            ("PATROL UNITS AVAILABLE", N(s.Units.Now.Available), $"busy {N(s.Units.Now.Busy)} · off duty {N(s.Units.Now.OffDuty)}",
                $"{N(s.Units.Now.Available + s.Units.Now.Busy + s.Units.Now.OffDuty)} units in scope", MapTheme.UnitStatusColors["available"]),
            ("CAMERAS ONLINE", N(s.Cameras.Now.Online), $"offline {N(s.Cameras.Now.Offline)} · fault {N(s.Cameras.Now.Fault)}",
                $"{Percent(s.Cameras.Now.Online, s.Cameras.Now.Online + s.Cameras.Now.Offline + s.Cameras.Now.Fault)} available", MapTheme.CameraStatusColors["online"]),
        };
        var gap = 8f;
        var width = (PageWidth - 2 * Margin - 3 * gap) / 4;
        using var fill = new SKPaint { Color = Tile, IsAntialias = true };
        using var bar = new SKPaint { IsAntialias = true };
        for (var i = 0; i < tiles.Length; i++)
        {
            var (label, value, line1, line2, color) = tiles[i];
            var x = Margin + i * (width + gap);
            var box = new SKRect(x, top, x + width, top + 50);
            canvas.DrawRoundRect(box, 3, 3, fill);
            bar.Color = color;
            canvas.DrawRect(new SKRect(box.Left, box.Top, box.Left + 3, box.Bottom), bar);
            Text(canvas, label, x + 9, top + 11, 6.5f, Dim, bold: true);
            Text(canvas, value, x + 9, top + 29, 17, Ink, bold: true);
            Text(canvas, line1, x + 9, top + 38.5f, 6.5f, Dim);
            Text(canvas, line2, x + 9, top + 46.5f, 6.5f, Dim);
        }
    }

    private static void DrawCategoryTable(SKCanvas canvas, BriefData brief, float top)
    {
        Heading(canvas, $"Incidents in the period by category and status", Margin, top);
        var right = PageWidth - Margin;
        var y = top + 16;
        var categoryWidth = 120f;
        var column = (right - Margin - categoryWidth) / (StatusColumns.Length + 1);
        using var rule = new SKPaint { Color = Rule, StrokeWidth = 0.6f };
        using var zebra = new SKPaint { Color = SKColor.Parse("#f6f8fa") };
        Text(canvas, "Category", Margin, y, 7, Dim, bold: true);
        for (var c = 0; c < StatusHeaders.Length; c++)
            Text(canvas, StatusHeaders[c], Margin + categoryWidth + (c + 1) * column, y, 7, Dim, bold: true, align: SKTextAlign.Right);
        Text(canvas, "Total", right, y, 7, Ink, bold: true, align: SKTextAlign.Right);
        canvas.DrawLine(Margin, y + 3, right, y + 3, rule);
        y += 12.5f;
        var totals = new int[StatusColumns.Length];
        var row = 0;
        using var dot = new SKPaint { IsAntialias = true };
        foreach (var category in Categories)
        {
            if (row++ % 2 == 1) canvas.DrawRect(new SKRect(Margin, y - 8.5f, right, y + 3), zebra);
            dot.Color = MapTheme.CategoryColors[category];
            canvas.DrawCircle(Margin + 3.5f, y - 2.6f, 3, dot);
            Text(canvas, MapRenderer.Humanise(category), Margin + 11, y, 7.5f, Ink);
            var sum = 0;
            for (var c = 0; c < StatusColumns.Length; c++)
            {
                var n = brief.ByCategoryStatus.GetValueOrDefault((category, StatusColumns[c]));
                totals[c] += n;
                sum += n;
                Text(canvas, n == 0 ? "–" : N(n), Margin + categoryWidth + (c + 1) * column, y, 7.5f, n == 0 ? Rule : Ink, align: SKTextAlign.Right);
            }
            Text(canvas, N(sum), right, y, 7.5f, Ink, bold: true, align: SKTextAlign.Right);
            y += 11.5f;
        }
        canvas.DrawLine(Margin, y - 8, right, y - 8, rule);
        Text(canvas, "All categories", Margin + 11, y + 1, 7.5f, Ink, bold: true);
        for (var c = 0; c < StatusColumns.Length; c++)
            Text(canvas, N(totals[c]), Margin + categoryWidth + (c + 1) * column, y + 1, 7.5f, Ink, bold: true, align: SKTextAlign.Right);
        Text(canvas, N(totals.Sum()), right, y + 1, 7.5f, Ink, bold: true, align: SKTextAlign.Right);
    }

    private static void DrawChanges(SKCanvas canvas, BriefData brief, float left, float top, float width)
    {
        Heading(canvas, $"Top increases vs the previous {brief.Hours} h", left, top);
        var y = top + 16;
        if (brief.TopChanges.Count == 0)
        {
            Text(canvas, $"No district/category rose to {BriefData.MinChangeCount} or more incidents.", left, y, 7.5f, Dim);
            return;
        }
        foreach (var c in brief.TopChanges)
        {
            Text(canvas, "▲", left, y, 7, Up);
            Text(canvas, $"{c.District} · {MapRenderer.Humanise(c.Category)}", left + 10, y, 7.5f, Ink);
            var pct = c.Change.PercentChange is { } p ? $" ({Signed((int)Math.Round(p))}%)" : " (new)";
            var sig = c.Change.IsSignificant() ? " *" : "";
            Text(canvas, $"{N(c.Previous)} → {N(c.Current)}{pct}{sig}", left + width, y, 7.5f, Ink, bold: true, align: SKTextAlign.Right);
            y += 12;
        }
        Text(canvas, "* significant at 5% (exact test of equal rates)", left, y + 2, 6.5f, Dim);
    }

    private static void DrawSevere(SKCanvas canvas, BriefData brief, TimeZoneInfo zone, float left, float top, float width)
    {
        Heading(canvas, "Newest severity-4 incidents", left, top);
        var y = top + 16;
        if (brief.Severe.Count == 0)
        {
            Text(canvas, "None in the period.", left, y, 7.5f, Dim);
            return;
        }
        using var dot = new SKPaint { IsAntialias = true };
        foreach (var i in brief.Severe)
        {
            var local = TimeZoneInfo.ConvertTime(i.OccurredAt, zone);
            dot.Color = MapTheme.CategoryColors.GetValueOrDefault(i.Category, SKColors.Gray);
            canvas.DrawCircle(left + 3.5f, y - 2.6f, 3, dot);
            Text(canvas, local.ToString("HH:mm", CultureInfo.InvariantCulture), left + 10, y, 7.5f, Ink, bold: true);
            var where = i.District ?? "";
            Text(canvas, Fit($"#{i.Id} · {MapRenderer.Humanise(i.Category)} · {where} · {MapRenderer.Humanise(i.Status)}", width - 44, 7.5f), left + 40, y, 7.5f, Ink);
            y += 12;
        }
    }

    private static void Heading(SKCanvas canvas, string text, float x, float y)
    {
        Text(canvas, text.ToUpperInvariant(), x, y, 8, Ink, bold: true);
        using var accent = new SKPaint { Color = Accent };
        canvas.DrawRect(new SKRect(x, y + 3, x + 24, y + 4.5f), accent);
    }

    private static void Field(SKCanvas canvas, string label, string value, float x, float y)
    {
        Text(canvas, label.ToUpperInvariant(), x, y, 6.5f, Dim, bold: true);
        Text(canvas, value, x, y + 12, 9, Ink);
    }

    private static void Text(SKCanvas canvas, string text, float x, float y, float size, SKColor color, bool bold = false, SKTextAlign align = SKTextAlign.Left)
    {
        using var font = MapFonts.Shared.Font(text, size, bold);
        using var paint = new SKPaint { IsAntialias = true, Color = color };
        MapFonts.DrawText(canvas, text, x, y, align, font, paint);
    }

    /// <summary>The text, shortened with "…" to fit <paramref name="width"/> points.</summary>
    private static string Fit(string text, float width, float size)
    {
        using var font = MapFonts.Shared.Font(text, size);
        if (font.MeasureText(text) <= width) return text;
        while (text.Length > 1 && font.MeasureText(text + "…") > width) text = text[..^1];
        return text + "…";
    }

    private static string CountChangeText(int current, int previous) =>
        previous == 0 ? (current == 0 ? "no change" : "none in the previous period")
        : $"{Signed((int)Math.Round(100.0 * (current - previous) / previous))}% vs previous period";

    private static string N(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Signed(int n) => n > 0 ? "+" + N(n) : N(n);

    private static string Percent(int part, int whole) => whole == 0 ? "–" : (100.0 * part / whole).ToString("0", CultureInfo.InvariantCulture) + "%";
}
