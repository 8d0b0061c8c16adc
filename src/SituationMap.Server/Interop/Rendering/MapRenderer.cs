using System.Globalization;
using NetTopologySuite.Geometries;
using SkiaSharp;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>How a map is framed: the colours, the time zone of printed times, and which decorations to draw.</summary>
public sealed record MapStyle(MapTheme Theme, TimeZoneInfo Zone, bool Header = true, bool Legend = true);

/// <summary>
/// Draws a <see cref="MapScene"/> on a Skia canvas (a raster surface for PNG, a PDF page for the brief — where it stays
/// vector): the basemap (districts, buildings when zoomed in, roads by class), zones by kind, patrol routes by level,
/// camera sectors and cameras by status, incidents as dots on the scene's grid (colour = the cell's category, or its
/// highest severity when mixed; area ∝ count), patrol units as arrows by status, district names, then a header
/// (time window, generated at, scope), a north arrow, a scale bar, a legend and the attribution.
/// The canvas must be translated so the map's top-left is (0, 0); the map is clipped to the view's size. O(vertices drawn).
/// </summary>
public static class MapRenderer
{
    /// <summary>
    /// Renders a PNG of the scene's view size. Encoded by Hotspots.PngImage (zlib "fastest", no filter): several times
    /// faster than Skia's PNG encoder at its default settings for a 1280 × 800 map, for a file about 15 % larger. The map
    /// is opaque (the background is cleared first), so premultiplied RGBA is plain RGBA.
    /// </summary>
    public static byte[] RenderPng(MapScene scene, MapStyle style)
    {
        var info = new SKImageInfo(scene.View.Width, scene.View.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException($"Skia could not allocate a {info.Width}×{info.Height} surface.");
        Draw(surface.Canvas, scene, style);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        return Hotspots.PngImage.Encode(info.Width, info.Height, pixels.GetPixelSpan());
    }

    public static void Draw(SKCanvas canvas, MapScene scene, MapStyle style)
    {
        var view = scene.View;
        var theme = style.Theme;
        var ui = Math.Clamp(Math.Min(view.Width, view.Height) / 800f, 0.6f, 2.2f);
        canvas.Save();
        canvas.ClipRect(new SKRect(0, 0, view.Width, view.Height));
        canvas.Clear(theme.Background);
        var zoom = (float)Math.Log2(156543.03392804097 / view.MetresPerPixel);
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeJoin = SKStrokeJoin.Round, StrokeCap = SKStrokeCap.Round };

        var districts = scene.Basemap.Where(f => f.Layer == "district").ToList();
        fill.Color = theme.DistrictFill;
        foreach (var d in districts) DrawGeometry(canvas, view, d.Geometry, fill);

        fill.Color = theme.Building;
        stroke.Color = theme.BuildingLine;
        stroke.StrokeWidth = 0.6f;
        foreach (var b in scene.Basemap.Where(f => f.Layer == "building"))
        {
            DrawGeometry(canvas, view, b.Geometry, fill);
            if (zoom >= 16) DrawGeometry(canvas, view, b.Geometry, stroke);
        }

        var roads = scene.Basemap.Where(f => f.Layer == "road").OrderBy(r => RoadRank(r.Kind)).ToList();
        if (zoom >= 13)
        {
            stroke.Color = theme.RoadCasing;
            foreach (var r in roads)
            {
                stroke.StrokeWidth = RoadWidth(zoom, r.Kind) + 2f;
                DrawGeometry(canvas, view, r.Geometry, stroke);
            }
        }
        foreach (var r in roads)
        {
            stroke.Color = theme.RoadColor(r.Kind);
            stroke.StrokeWidth = RoadWidth(zoom, r.Kind);
            DrawGeometry(canvas, view, r.Geometry, stroke);
        }

        var operational = scene.Operational;
        foreach (var z in operational.Where(f => f.Layer == "zone").OrderBy(f => f.Status))
        {
            var color = MapTheme.ZoneKindColors.GetValueOrDefault(z.Kind, SKColors.Gray);
            fill.Color = color.WithAlpha(theme == MapTheme.Night ? (byte)46 : (byte)60);
            DrawGeometry(canvas, view, z.Geometry, fill);
            stroke.Color = color.WithAlpha(210);
            stroke.StrokeWidth = 1.2f * ui;
            DrawGeometry(canvas, view, z.Geometry, stroke);
        }

        stroke.Color = theme.DistrictLine;
        stroke.StrokeWidth = Math.Clamp(0.3f * zoom - 1.8f, 1.2f, 2.4f) * ui;
        using (var dash = SKPathEffect.CreateDash([4 * stroke.StrokeWidth, 2 * stroke.StrokeWidth], 0))
        {
            stroke.PathEffect = dash;
            foreach (var d in districts) DrawGeometry(canvas, view, d.Geometry, stroke);
            stroke.PathEffect = null;
        }

        DrawRoutes(canvas, view, operational, theme, stroke, ui);

        foreach (var v in operational.Where(f => f.Layer == "camera_view"))
        {
            fill.Color = MapTheme.CameraStatusColors.GetValueOrDefault(v.Kind, SKColors.Gray).WithAlpha(40);
            DrawGeometry(canvas, view, v.Geometry, fill);
        }

        DrawIncidents(canvas, scene, theme, ui);
        DrawCameras(canvas, view, operational, theme, zoom, ui);
        DrawUnits(canvas, view, operational, theme, zoom, ui);
        DrawDistrictLabels(canvas, view, districts, theme, ui);
        canvas.Restore();

        if (style.Header) DrawHeader(canvas, scene, style, ui);
        DrawNorthArrow(canvas, view, theme, ui);
        DrawScaleBar(canvas, view, theme, ui);
        if (style.Legend) DrawLegend(canvas, scene, theme, ui);
        DrawAttribution(canvas, view, theme, ui);
    }

    private static int RoadRank(string roadClass) => roadClass switch
    {
        "motorway" or "trunk" => 5,
        "primary" => 4,
        "secondary" => 3,
        "tertiary" => 2,
        _ => 1,
    };

    /// <summary>The dashboard's road widths (web/src/map/layers/roads.ts): by class, growing with the zoom level.</summary>
    private static float RoadWidth(float zoom, string roadClass)
    {
        var factor = RoadRank(roadClass) switch { 5 => 1f, 4 => 0.85f, 3 => 0.7f, 2 => 0.55f, _ => 0.4f };
        var baseWidth = zoom <= 10 ? 1.75f : zoom >= 17 ? 16f : zoom <= 14 ? 1.75f + (zoom - 10) / 4 * 3.25f : 5f + (zoom - 14) / 3 * 11f;
        return Math.Max(0.5f, baseWidth * factor);
    }

    private static void DrawRoutes(SKCanvas canvas, MapView view, IReadOnlyList<MapFeature> features, MapTheme theme, SKPaint stroke, float ui)
    {
        var routes = features.Where(f => f.Layer == "route").OrderByDescending(f => f.Kind).ToList();
        foreach (var r in routes)
        {
            var level = r.Kind;
            var width = (level == "1" ? 2.4f : level == "2" ? 1.8f : 1.5f) * ui;
            var alpha = r.Status == "active" ? (byte)235 : (byte)110;
            stroke.Color = theme.RoadCasing.WithAlpha(alpha);
            stroke.StrokeWidth = width + 2f * ui;
            DrawGeometry(canvas, view, r.Geometry, stroke);
            stroke.Color = MapTheme.RouteLevelColors.GetValueOrDefault(level, SKColors.SkyBlue).WithAlpha(alpha);
            stroke.StrokeWidth = width;
            using var dash = level switch
            {
                "2" => SKPathEffect.CreateDash([3 * width, 1.6f * width], 0),
                "3" => SKPathEffect.CreateDash([0.1f * width, 2 * width], 0),
                _ => null,
            };
            stroke.PathEffect = dash;
            DrawGeometry(canvas, view, r.Geometry, stroke);
            stroke.PathEffect = null;
        }
    }

    private static void DrawIncidents(SKCanvas canvas, MapScene scene, MapTheme theme, float ui)
    {
        var view = scene.View;
        using var dot = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var rim = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f * ui, Color = theme.Halo.WithAlpha(200) };
        using var ring = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.4f * ui };
        var dense = scene.Incidents.Count > 1500;
        foreach (var c in scene.Incidents)
        {
            var (x, y) = view.ToPixel(c.X, c.Y);
            var color = MapTheme.IncidentColor(c.Category, c.Severity);
            var radius = (float)Math.Min(2.6 + 1.3 * Math.Sqrt(c.Count - 1), 12) * ui;
            dot.Color = color.WithAlpha(dense ? (byte)Math.Min(120 + 12 * c.Count, 235) : (byte)235);
            canvas.DrawCircle(x, y, radius, dot);
            if (!dense || c.Count > 4) canvas.DrawCircle(x, y, radius, rim);
            if (c.Severity == 4 && c.Open > 0)
            {
                ring.Color = MapTheme.SeverityColors[4];
                canvas.DrawCircle(x, y, radius + 2.2f * ui, ring);
            }
        }
    }

    private static void DrawCameras(SKCanvas canvas, MapView view, IReadOnlyList<MapFeature> features, MapTheme theme, float zoom, float ui)
    {
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var rim = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.8f * ui, Color = theme.Halo };
        using var tick = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f * ui, StrokeCap = SKStrokeCap.Round };
        var size = (zoom >= 15 ? 3.6f : zoom >= 13 ? 2.8f : 1.6f) * ui;
        foreach (var c in features.Where(f => f.Layer == "camera"))
        {
            var (x, y) = view.ToPixel(c.Geometry.Coordinate.X, c.Geometry.Coordinate.Y);
            var color = MapTheme.CameraStatusColors.GetValueOrDefault(c.Kind, SKColors.Gray);
            fill.Color = color;
            var square = new SKRect(x - size, y - size, x + size, y + size);
            canvas.DrawRect(square, fill);
            if (zoom >= 13) canvas.DrawRect(square, rim);
            if (c.Heading is { } heading && zoom >= 14)
            {
                var a = heading * Math.PI / 180;
                tick.Color = color;
                canvas.DrawLine(x, y, x + (float)Math.Sin(a) * size * 3, y - (float)Math.Cos(a) * size * 3, tick);
            }
        }
    }

    private static void DrawUnits(SKCanvas canvas, MapView view, IReadOnlyList<MapFeature> features, MapTheme theme, float zoom, float ui)
    {
        using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
        using var rim = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.2f * ui, Color = theme == MapTheme.Night ? SKColors.White : theme.Text, StrokeJoin = SKStrokeJoin.Round };
        var size = (zoom >= 14 ? 7f : zoom >= 12 ? 6f : 5f) * ui;
        foreach (var u in features.Where(f => f.Layer == "unit"))
        {
            var (x, y) = view.ToPixel(u.Geometry.Coordinate.X, u.Geometry.Coordinate.Y);
            using var builder = new SKPathBuilder();
            builder.MoveTo(0, -size);
            builder.LineTo(size * 0.7f, size * 0.75f);
            builder.LineTo(0, size * 0.35f);
            builder.LineTo(-size * 0.7f, size * 0.75f);
            builder.Close();
            using var arrow = builder.Detach();
            canvas.Save();
            canvas.Translate(x, y);
            canvas.RotateDegrees((float)(u.Heading ?? 0));
            fill.Color = MapTheme.UnitStatusColors.GetValueOrDefault(u.Kind, SKColors.Gray);
            canvas.DrawPath(arrow, fill);
            canvas.DrawPath(arrow, rim);
            canvas.Restore();
            if (zoom >= 14 && u.Name is { } callSign) Label(canvas, callSign, x + size + 2, y + 4 * ui, 10 * ui, theme.Text, theme.Halo, false, SKTextAlign.Left);
        }
    }

    private static void DrawDistrictLabels(SKCanvas canvas, MapView view, List<MapFeature> districts, MapTheme theme, float ui)
    {
        foreach (var d in districts.Where(d => d.Label is not null))
        {
            var (x, y) = view.ToPixel(d.Label!.X, d.Label.Y);
            if (x < 0 || y < 0 || x > view.Width || y > view.Height) continue;
            Label(canvas, d.Name ?? d.Kind, x, y, 15 * ui, theme.DistrictLabel, theme.Halo, true, SKTextAlign.Center);
            if (d.NameEn is { Length: > 0 } en) Label(canvas, en.ToUpperInvariant(), x, y + 14 * ui, 9.5f * ui, theme.DistrictLabel, theme.Halo, false, SKTextAlign.Center);
        }
    }

    private static void DrawHeader(SKCanvas canvas, MapScene scene, MapStyle style, float ui)
    {
        var theme = style.Theme;
        var view = scene.View;
        var title = "SituationMap · Situation map";
        var window = $"Incidents {FormatTime(view.From, style.Zone)} – {FormatTime(view.To, style.Zone)} · {scene.IncidentCount.ToString("N0", CultureInfo.InvariantCulture)} shown";
        var scope = scene.Scope.DistrictArray is { } d ? "Districts " + string.Join(", ", d) : "All districts";
        var generated = $"Generated {FormatTime(scene.GeneratedAt, style.Zone)} · {scope}";
        using var titleFont = MapFonts.Shared.Font(title, 15 * ui, bold: true);
        using var lineFont = MapFonts.Shared.Font(window + generated, 11 * ui);
        var width = Math.Max(titleFont.MeasureText(title), Math.Max(lineFont.MeasureText(window), lineFont.MeasureText(generated))) + 24 * ui;
        var box = new SKRect(12 * ui, 12 * ui, 12 * ui + width, 12 * ui + 62 * ui);
        Panel(canvas, box, theme, ui);
        using var accent = new SKPaint { IsAntialias = true, Color = SKColor.Parse("#3fa7ff") };
        canvas.DrawRect(new SKRect(box.Left, box.Top, box.Left + 3 * ui, box.Bottom), accent);
        using var text = new SKPaint { IsAntialias = true, Color = theme.Text };
        MapFonts.DrawText(canvas, title, box.Left + 12 * ui, box.Top + 20 * ui, SKTextAlign.Left, titleFont, text);
        text.Color = theme.TextDim;
        MapFonts.DrawText(canvas, window, box.Left + 12 * ui, box.Top + 38 * ui, SKTextAlign.Left, lineFont, text);
        MapFonts.DrawText(canvas, generated, box.Left + 12 * ui, box.Top + 53 * ui, SKTextAlign.Left, lineFont, text);
    }

    private static void DrawNorthArrow(SKCanvas canvas, MapView view, MapTheme theme, float ui)
    {
        var (cx, cy, r) = (view.Width - 34 * ui, 40 * ui, 18 * ui);
        Panel(canvas, new SKRect(cx - r - 4 * ui, cy - r - 6 * ui, cx + r + 4 * ui, cy + r + 10 * ui), theme, ui);
        using var builder = new SKPathBuilder();
        builder.MoveTo(cx, cy - r + 2 * ui);
        builder.LineTo(cx + 7 * ui, cy + 8 * ui);
        builder.LineTo(cx, cy + 3 * ui);
        builder.LineTo(cx - 7 * ui, cy + 8 * ui);
        builder.Close();
        using var path = builder.Detach();
        using var paint = new SKPaint { IsAntialias = true, Color = theme.Text };
        canvas.DrawPath(path, paint);
        using var font = MapFonts.Shared.Font("N", 10 * ui, bold: true);
        MapFonts.DrawText(canvas, "N", cx, cy + r + 5 * ui, SKTextAlign.Center, font, paint);
    }

    /// <summary>A scale bar of a round ground length (1, 2 or 5 × 10ⁿ m) about a fifth of the map wide, at the centre's latitude.</summary>
    private static void DrawScaleBar(SKCanvas canvas, MapView view, MapTheme theme, float ui)
    {
        var metresPerPixel = view.GroundMetresPerPixel;
        var target = view.Width / 5.0 * metresPerPixel;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(target)));
        var metres = new[] { 5, 2, 1 }.Select(m => m * magnitude).First(m => m <= target);
        var length = (float)(metres / metresPerPixel);
        var label = metres >= 1000 ? $"{(metres / 1000).ToString("0.#", CultureInfo.InvariantCulture)} km" : $"{metres.ToString("0", CultureInfo.InvariantCulture)} m";
        var (x, y) = (14 * ui, view.Height - 18 * ui);
        Panel(canvas, new SKRect(x - 6 * ui, y - 22 * ui, x + length + 8 * ui, y + 8 * ui), theme, ui);
        using var bar = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = theme.Text };
        using var hollow = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill, Color = theme.Background };
        var h = 4 * ui;
        canvas.DrawRect(new SKRect(x, y - h, x + length, y), bar);
        canvas.DrawRect(new SKRect(x + length / 4, y - h + 1, x + length / 2, y - 1), hollow);
        canvas.DrawRect(new SKRect(x + length * 3 / 4, y - h + 1, x + length, y - 1), hollow);
        using var font = MapFonts.Shared.Font(label, 10 * ui);
        MapFonts.DrawText(canvas, "0", x, y - h - 4 * ui, SKTextAlign.Left, font, bar);
        MapFonts.DrawText(canvas, label, x + length, y - h - 4 * ui, SKTextAlign.Right, font, bar);
    }

    private static void DrawLegend(SKCanvas canvas, MapScene scene, MapTheme theme, float ui)
    {
        var view = scene.View;
        var rows = new List<(string Text, SKColor? Color, char Symbol)>();
        if (view.Layers.HasFlag(MapLayers.Incidents))
        {
            rows.Add(("Incidents", null, ' '));
            foreach (var (category, _) in scene.CategoriesDrawn.Take(8))
                rows.Add((Humanise(category), MapTheme.CategoryColors.GetValueOrDefault(category), 'o'));
            if (scene.Incidents.Any(c => c.Severity == 4 && c.Open > 0)) rows.Add(("Open, severity 4", MapTheme.SeverityColors[4], 'r'));
        }
        if (view.Layers.HasFlag(MapLayers.Cameras) && scene.Operational.Any(f => f.Layer == "camera"))
        {
            rows.Add(("Cameras", null, ' '));
            foreach (var (status, color) in MapTheme.CameraStatusColors) rows.Add((Humanise(status), color, 's'));
        }
        if (view.Layers.HasFlag(MapLayers.Units) && scene.Operational.Any(f => f.Layer == "unit"))
        {
            rows.Add(("Patrol units", null, ' '));
            foreach (var (status, color) in MapTheme.UnitStatusColors) rows.Add((Humanise(status), color, '^'));
        }
        if (view.Layers.HasFlag(MapLayers.Routes) && scene.Operational.Any(f => f.Layer == "route"))
        {
            rows.Add(("Patrol routes", null, ' '));
            foreach (var (level, color) in MapTheme.RouteLevelColors) rows.Add((level switch { "1" => "City", "2" => "District", _ => "Community" }, color, '-'));
        }
        if (view.Layers.HasFlag(MapLayers.Zones) && scene.Operational.Any(f => f.Layer == "zone"))
        {
            rows.Add(("Zones", null, ' '));
            foreach (var kind in scene.Operational.Where(f => f.Layer == "zone").GroupBy(f => f.Kind).OrderByDescending(g => g.Count()).Take(4))
                rows.Add((Humanise(kind.Key), MapTheme.ZoneKindColors.GetValueOrDefault(kind.Key, SKColors.Gray), 'z'));
        }
        if (rows.Count == 0) return;
        var lineHeight = 15 * ui;
        var maxRows = (int)((view.Height - 140 * ui) / lineHeight);
        if (maxRows < 3) return;
        rows = rows.Take(maxRows).ToList();
        using var font = MapFonts.Shared.Font("Incidents", 10.5f * ui);
        using var heading = MapFonts.Shared.Font("Incidents", 10.5f * ui, bold: true);
        var width = rows.Max(r => (r.Color is null ? heading : font).MeasureText(r.Text)) + 40 * ui;
        var height = rows.Count * lineHeight + 12 * ui;
        var box = new SKRect(view.Width - 12 * ui - width, view.Height - 30 * ui - height, view.Width - 12 * ui, view.Height - 30 * ui);
        Panel(canvas, box, theme, ui);
        using var text = new SKPaint { IsAntialias = true };
        using var swatch = new SKPaint { IsAntialias = true, StrokeWidth = 2.4f * ui, StrokeCap = SKStrokeCap.Round };
        var y = box.Top + 6 * ui + lineHeight * 0.75f;
        foreach (var (label, color, symbol) in rows)
        {
            var x = box.Left + 10 * ui;
            if (color is null)
            {
                text.Color = theme.Text;
                MapFonts.DrawText(canvas, label.ToUpperInvariant(), x, y, SKTextAlign.Left, heading, text);
            }
            else
            {
                swatch.Color = color.Value;
                var (sx, sy) = (x + 6 * ui, y - 3.5f * ui);
                swatch.Style = symbol == '-' ? SKPaintStyle.Stroke : SKPaintStyle.Fill;
                switch (symbol)
                {
                    case 's': canvas.DrawRect(new SKRect(sx - 3.5f * ui, sy - 3.5f * ui, sx + 3.5f * ui, sy + 3.5f * ui), swatch); break;
                    case '-': canvas.DrawLine(sx - 6 * ui, sy, sx + 6 * ui, sy, swatch); break;
                    case 'z':
                        swatch.Color = color.Value.WithAlpha(140);
                        canvas.DrawRect(new SKRect(sx - 6 * ui, sy - 4 * ui, sx + 6 * ui, sy + 4 * ui), swatch);
                        break;
                    case '^':
                        using (var builder = new SKPathBuilder())
                        {
                            builder.MoveTo(sx, sy - 5 * ui);
                            builder.LineTo(sx + 4 * ui, sy + 4 * ui);
                            builder.LineTo(sx - 4 * ui, sy + 4 * ui);
                            builder.Close();
                            using var tri = builder.Detach();
                            canvas.DrawPath(tri, swatch);
                        }
                        break;
                    case 'r':
                        swatch.Style = SKPaintStyle.Stroke;
                        swatch.StrokeWidth = 1.4f * ui;
                        canvas.DrawCircle(sx, sy, 4.5f * ui, swatch);
                        swatch.StrokeWidth = 2.4f * ui;
                        break;
                    default: canvas.DrawCircle(sx, sy, 4 * ui, swatch); break;
                }
                text.Color = theme.TextDim;
                MapFonts.DrawText(canvas, label, x + 18 * ui, y, SKTextAlign.Left, font, text);
            }
            y += lineHeight;
        }
    }

    private static void DrawAttribution(SKCanvas canvas, MapView view, MapTheme theme, float ui)
    {
        const string text = "© SituationMap · basemap from own data (districts, roads, buildings) · Web Mercator";
        using var font = MapFonts.Shared.Font(text, 9 * ui);
        var width = font.MeasureText(text);
        var box = new SKRect(view.Width - width - 20 * ui, view.Height - 20 * ui, view.Width - 4 * ui, view.Height - 4 * ui);
        Panel(canvas, box, theme, ui);
        using var paint = new SKPaint { IsAntialias = true, Color = theme.TextDim };
        MapFonts.DrawText(canvas, text, box.Right - 8 * ui, box.Bottom - 4.5f * ui, SKTextAlign.Right, font, paint);
    }

    public static string FormatTime(DateTimeOffset t, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(t, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + $" (UTC{sign}{offset:hh\\:mm})";
    }

    /// <summary>"property_theft" → "Property theft".</summary>
    public static string Humanise(string wireName) =>
        wireName.Length == 0 ? wireName : char.ToUpperInvariant(wireName[0]) + wireName[1..].Replace('_', ' ');

    private static void Panel(SKCanvas canvas, SKRect box, MapTheme theme, float ui)
    {
        using var fill = new SKPaint { IsAntialias = true, Color = theme.Panel };
        using var line = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1, Color = theme.PanelLine };
        canvas.DrawRoundRect(box, 4 * ui, 4 * ui, fill);
        canvas.DrawRoundRect(box, 4 * ui, 4 * ui, line);
    }

    /// <summary>Text with a halo (outline in the background colour), so it reads over any feature.</summary>
    public static void Label(SKCanvas canvas, string text, float x, float y, float size, SKColor color, SKColor halo, bool bold, SKTextAlign align)
    {
        using var font = MapFonts.Shared.Font(text, size, bold);
        using var outline = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(2, size / 5), Color = halo.WithAlpha(220), StrokeJoin = SKStrokeJoin.Round };
        using var paint = new SKPaint { IsAntialias = true, Color = color };
        MapFonts.DrawText(canvas, text, x, y, align, font, outline);
        MapFonts.DrawText(canvas, text, x, y, align, font, paint);
    }

    private static void DrawGeometry(SKCanvas canvas, MapView view, Geometry geometry, SKPaint paint)
    {
        using var builder = new SKPathBuilder { FillType = SKPathFillType.EvenOdd };
        AddToPath(builder, view, geometry);
        using var path = builder.Detach();
        canvas.DrawPath(path, paint);
    }

    private static void AddToPath(SKPathBuilder path, MapView view, Geometry geometry)
    {
        switch (geometry)
        {
            case Polygon polygon:
                AddRing(path, view, polygon.ExteriorRing.CoordinateSequence, close: true);
                foreach (var hole in polygon.InteriorRings) AddRing(path, view, hole.CoordinateSequence, close: true);
                break;
            case LineString line:
                AddRing(path, view, line.CoordinateSequence, close: false);
                break;
            case GeometryCollection collection:
                foreach (var part in collection.Geometries) AddToPath(path, view, part);
                break;
        }
    }

    private static void AddRing(SKPathBuilder path, MapView view, CoordinateSequence coordinates, bool close)
    {
        if (coordinates.Count < 2) return;
        var (x0, y0) = view.ToPixel(coordinates.GetX(0), coordinates.GetY(0));
        path.MoveTo(x0, y0);
        for (var i = 1; i < coordinates.Count; i++)
        {
            var (x, y) = view.ToPixel(coordinates.GetX(i), coordinates.GetY(i));
            path.LineTo(x, y);
        }
        if (close) path.Close();
    }
}
