using System.Diagnostics;

namespace SituationMap.Server.Tests.Interop;

/// <summary>Runs GDAL's command-line tools (Debian's gdal-bin, installed by scripts/test.sh) and returns their output.</summary>
public static class Gdal
{
    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} (Debian's gdal-bin) is needed for the interoperability tests; scripts/test.sh installs it.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{tool} {string.Join(' ', arguments)} failed: {await output}{await error}");
            return await output + await error;
        }
    }
}
