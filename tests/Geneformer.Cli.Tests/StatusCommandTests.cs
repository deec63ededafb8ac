using System.Net;
using System.Net.Sockets;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>`geneformer status`: what it accepts as the coordinator. Against a live coordinator: the cluster and Slurm integration tests.</summary>
public class StatusCommandTests
{
    private static int ClosedPort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port; // closed again once disposed
    }

    [Fact]
    public void A_coordinator_that_is_neither_an_http_url_nor_a_file_is_refused()
    {
        var r = GeneformerProcess.Run("status", "--coordinator", "ftp://node01:8080");
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--coordinator 'ftp://node01:8080': expected an http(s) URL such as http://node01:8080, or a file holding one", r.StdErr);
    }

    [Fact]
    public void The_status_url_file_of_a_slurm_job_is_read_and_a_bad_one_is_named()
    {
        using var tmp = new TempDir();
        var bad = tmp["status-url"];
        File.WriteAllText(bad, "node01 port 8080\n");
        var r = GeneformerProcess.Run("status", "--coordinator", bad);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains($"--coordinator {bad}: its first line 'node01 port 8080' is not an http(s) URL", r.StdErr);

        // A good file names the URL that is then asked (here nobody listens, which the error says).
        var port = ClosedPort();
        var good = tmp["other-status-url"];
        File.WriteAllText(good, $"http://127.0.0.1:{port}/\n");
        var unreachable = GeneformerProcess.Run("status", "--coordinator", good, "--json");
        Assert.True(unreachable.ExitCode == 2, unreachable.ToString());
        Assert.Contains($"http://127.0.0.1:{port}/api/status: coordinator not reachable", unreachable.StdErr);
    }
}
