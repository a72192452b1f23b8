using System.Net;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Medvis.Core.Maps.Export;

/// <summary>
/// Writes a map as one self-contained HTML file: the viewer's script and style inline, the points as base64 typed
/// arrays and the thumbnails as one JPEG atlas in a JSON block. It opens from disk with no server and no network.
/// </summary>
public static class StandaloneMapHtml
{
    /// <summary>The HTML of <paramref name="content"/>, UTF-8.</summary>
    /// <exception cref="ArgumentException">Content whose arrays disagree (see <see cref="StandaloneMapContent.Validate"/>).</exception>
    public static byte[] Render(StandaloneMapContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        content.Validate();
        var html = new StringBuilder(capacity: 64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">")
            .Append("<title>").Append(Encode(content.Title)).Append("</title><style>").Append(Resource("standalone-map.css")).Append("</style></head><body>")
            .Append("<header><h1>").Append(Encode(content.Title)).Append("</h1><div class=\"source\">").Append(Encode(content.Source)).Append("</div></header>")
            .Append("<main><div id=\"plot\"><canvas id=\"map\" aria-label=\"map of ").Append(content.Count).Append(" points\"></canvas>")
            .Append("<div id=\"toolbar\"><label>Colour by <select id=\"colour-by\" data-testid=\"colour-by\"></select></label>")
            .Append("<button type=\"button\" id=\"reset-view\">Reset view</button><span id=\"visible-count\" data-testid=\"visible-count\"></span></div>")
            .Append("<div id=\"hover\" data-testid=\"hover-panel\" hidden></div></div><aside>")
            .Append("<section><h2>Legend</h2><div id=\"legend\"></div></section>");
        if (content.ThumbnailNote is { } note) html.Append("<p class=\"note\" data-testid=\"thumbnail-note\">").Append(Encode(note)).Append("</p>");
        if (content.Metrics.Count > 0)
        {
            html.Append("<section><h2>Metrics</h2><table data-testid=\"metrics\">");
            foreach (var (name, value) in content.Metrics) html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>").Append(Encode(value)).Append("</td></tr>");
            html.Append("</table></section>");
        }
        if (content.CardJson is { } card)
            html.Append("<section><details><summary>Run card (settings to train this map again)</summary><pre data-testid=\"card\">").Append(Encode(card)).Append("</pre></details></section>");
        html.Append("<section class=\"help\"><h2>How to read it</h2>Each point is one image; similar images lie close. Hover (or tap) a point for its image and values; ")
            .Append("wheel to zoom, drag to pan, double-click to reset; click a legend entry to hide it, double-click to show it alone.</section>")
            .Append("</aside></main><script type=\"application/json\" id=\"map-data\">").Append(DataJson(content)).Append("</script><script>")
            .Append(Resource("standalone-map.js")).Append("</script></body></html>\n");
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    // System.Text.Json escapes <, > and & by default, so "</script>" inside a name cannot end the block.
    private static string DataJson(StandaloneMapContent content) => JsonSerializer.Serialize(new
    {
        count = content.Count,
        x = Base64(content.X),
        y = Base64(content.Y),
        labels = Base64(content.Labels),
        classNames = content.ClassNames,
        palette = Enumerable.Range(0, 20).Select(ClassPalette.Of).ToArray(),
        pointNames = content.PointNames,
        colourings = content.Colourings.Select(c => new
        {
            name = c.Name,
            groups = c.Groups is { } groups ? Base64(groups) : null,
            groupNames = c.GroupNames,
            values = c.Values is { } values ? Base64(values) : null,
        }),
        hoverColumns = content.HoverColumns.Select(c => new { name = c.Name, texts = c.Texts }),
        atlas = content.Thumbnails is { } atlas
            ? new { jpeg = Convert.ToBase64String(atlas.Jpeg), tile = atlas.Tile, columns = atlas.Columns }
            : null,
    });

    private static string Base64<T>(T[] values) where T : struct => Convert.ToBase64String(MemoryMarshal.AsBytes(values.AsSpan()));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Medvis.Core.Maps.Export." + name)
            ?? throw new InvalidOperationException($"the viewer resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
