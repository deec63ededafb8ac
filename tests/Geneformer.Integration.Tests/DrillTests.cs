using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>
/// A short set of tools/drills.sh's fault drills, one trial each (the full drill, 20 trials of every scenario, is one
/// command: docs/drills.md): a rank's network cut, a rank killed while a checkpoint is written, the coordinator killed, and the newest
/// committed checkpoint corrupted while the job is down, each of which must end bit-identical to an uninterrupted run
/// with every checkpoint verified; a damaged corpus shard and a full checkpoint volume, which must stop the job at
/// once, naming the cause, its committed checkpoints intact. No trial may leave a process behind.
/// </summary>
public class DrillTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    [Fact]
    public void The_short_drill_set_recovers_every_trial()
    {
        var dir = corpus.NewDir("drills");
        var table = Path.Combine(dir, "table.md");
        var r = ProcessRunner.Run("python3",
            [Path.Combine(RepoPaths.Root, "tools", "drills", "drills.py"), "--geneformer", $"dotnet {GeneformerProcess.Dll}", "--corpus", corpus.Corpus,
             "--out", dir, "--scenarios", "cut-rank,kill-checkpoint,kill-coordinator,corrupt-checkpoint,corrupt-shard,disk-full", "--trials", "1", "--seed", "7", "--timeout", "400", "--table", table],
            TimeSpan.FromMinutes(25), env: new Dictionary<string, string> { ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs") });
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = File.ReadAllLines(table).Skip(2).Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToList();
        Assert.Equal(["cut-rank", "kill-coordinator", "kill-checkpoint", "corrupt-checkpoint", "corrupt-shard", "disk-full"], rows.Select(c => c[1]));
        foreach (var row in rows)
        {
            var stops = row[1] is "corrupt-shard" or "disk-full";
            Assert.True((row[2], row[3], row[4], row[5]) == ("1", stops ? "0" : "1", stops ? "1" : "0", "0"), $"{string.Join(" | ", row)}\n{r}"); // trials, recovered, stopped, failed
        }
    }
}
