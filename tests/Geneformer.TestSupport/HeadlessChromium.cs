namespace Geneformer.TestSupport;

/// <summary>The status page as a real browser renders it: headless Chromium's DOM after the page's scripts ran.</summary>
public static class HeadlessChromium
{
    /// <summary>The rendered DOM of <paramref name="url"/>; fails with how to install Chromium when it is missing.</summary>
    public static ProcessResult DumpDom(string url, string userDataDir, TimeSpan timeout)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
                       ?? throw new InvalidOperationException("headless Chromium is needed for the page test: apt-get install -y chromium");
        return ProcessRunner.Run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", $"--user-data-dir={userDataDir}",
            "--virtual-time-budget=3000", "--dump-dom", url], timeout);
    }
}
