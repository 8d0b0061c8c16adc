using Microsoft.Extensions.FileProviders;

namespace SituationMap.Server.Infrastructure;

/// <summary>
/// Serves the browser dashboard: the Vite build in web/dist (configuration "Web:Root" or SITUATIONMAP_WEB_ROOT; by
/// default found by walking up from the server to the repository). Everything the page needs — scripts, styles,
/// glyphs, sprites — comes from there, so the page makes no request to any other host.
/// </summary>
public static class WebDashboard
{
    public static WebApplication UseWebDashboard(this WebApplication app)
    {
        var root = FindRoot(app.Configuration, app.Environment);
        if (root is null)
        {
            app.Logger.LogWarning("No dashboard build found (web/dist); build it with 'npm run build' in web/, or set Web:Root.");
            return app;
        }
        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = c =>
            {
                // hashed asset names can be cached for good; index.html and the rest revalidate
                c.Context.Response.Headers.CacheControl = c.File.Name.Contains('-') && c.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        app.Logger.LogInformation("Serving the dashboard from {Root}.", root);
        return app;
    }

    public static string? FindRoot(IConfiguration configuration, IWebHostEnvironment environment)
    {
        var configured = configuration["Web:Root"] ?? configuration["SITUATIONMAP_WEB_ROOT"];
        if (!string.IsNullOrEmpty(configured)) return File.Exists(Path.Combine(configured, "index.html")) ? Path.GetFullPath(configured) : null;
        foreach (var start in new[] { AppContext.BaseDirectory, environment.ContentRootPath })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "web", "dist");
                if (File.Exists(Path.Combine(candidate, "index.html"))) return candidate;
            }
        }
        return null;
    }
}
