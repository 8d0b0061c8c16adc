using SkiaSharp;

namespace SituationMap.Server.Interop.Rendering;

/// <summary>
/// The typefaces of rendered maps and briefs, looked up by family name through fontconfig (Skia on Linux): DejaVu Sans
/// for Latin text and WenQuanYi Zen Hei (or another CJK family) for Chinese names. scripts/run.sh and scripts/test.sh
/// install fonts-dejavu-core and fonts-wqy-zenhei. Missing families fall back to whatever fontconfig matches for the
/// text's first character, then to Skia's default typeface, so text is never dropped — only its look changes.
/// </summary>
public sealed class MapFonts
{
    public static readonly string[] LatinFamilies = ["DejaVu Sans", "Noto Sans", "Liberation Sans"];
    public static readonly string[] CjkFamilies = ["WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC"];

    public static readonly MapFonts Shared = new();

    private MapFonts()
    {
        Regular = Find(LatinFamilies, SKFontStyle.Normal) ?? SKTypeface.Default;
        Bold = Find(LatinFamilies, SKFontStyle.Bold) ?? Regular;
        Cjk = Find(CjkFamilies, SKFontStyle.Normal) ?? SKFontManager.Default.MatchCharacter('中') ?? Regular;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>A typeface with Chinese glyphs (or the Latin one when no CJK font is installed).</summary>
    public SKTypeface Cjk { get; }

    /// <summary>The Latin typeface when it has every glyph of <paramref name="text"/>, else the CJK one.</summary>
    public SKTypeface For(string text, bool bold = false)
    {
        var latin = bold ? Bold : Regular;
        using var font = new SKFont(latin);
        return font.ContainsGlyphs(text) ? latin : Cjk;
    }

    /// <summary>
    /// A font for <paramref name="text"/>. Unhinted with linear metrics: glyphs are placed at the font's own advances, so a
    /// PDF's text extracts as the words it shows (hinted advances make PDF readers see gaps inside words).
    /// </summary>
    public SKFont Font(string text, float size, bool bold = false) =>
        new(For(text, bold), size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None, Edging = SKFontEdging.Antialias };

    /// <summary>
    /// Draws text; CJK text is drawn as glyph outlines, because Skia's PDF backend would otherwise embed the whole CJK
    /// font collection (wqy-zenhei.ttc is 16 MB and is not subset), while Latin fonts stay real, extractable text.
    /// </summary>
    public static void DrawText(SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        if (font.Typeface == Shared.Cjk && Shared.Cjk != Shared.Regular)
        {
            var width = font.MeasureText(text);
            var left = align switch { SKTextAlign.Center => x - width / 2, SKTextAlign.Right => x - width, _ => x };
            using var path = font.GetTextPath(text, new SKPoint(left, y));
            canvas.DrawPath(path, paint);
            return;
        }
        canvas.DrawText(text, x, y, align, font, paint);
    }

    private static SKTypeface? Find(IEnumerable<string> families, SKFontStyle style)
    {
        foreach (var family in families)
        {
            var typeface = SKFontManager.Default.MatchFamily(family, style);
            if (typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase)) return typeface;
            typeface?.Dispose();
        }
        return null;
    }
}
