using System.Text.Json;
using Geneformer.Model;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary>Data-parallel training over real MPI processes (mpiexec.mpich, MPI.NET over MPICH).</summary>
public class MpiTrainingTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    /// <summary>A tiny model without dropout (so 1 and 2 ranks compute the same function) and its training config.</summary>
    private (string Model, string Training) Configs(string dir, int microBatch, int maxSteps = 6, int seed = 3)
    {
        Directory.CreateDirectory(dir);
        var model = Path.Combine(dir, "model.json");
        var baseModel = BertConfig.Load(Path.Combine(RepoPaths.Root, "cluster-configs", "models", "tiny.json"));
        File.WriteAllText(model, (baseModel with { HiddenDropout = 0, AttentionDropout = 0, MaxPositions = 128 }).ToJson());
        var training = Path.Combine(dir, "training.json");
        File.WriteAllText(training, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model, ["micro_batch"] = microBatch, ["global_batch"] = 16, ["max_steps"] = maxSteps, ["lr"] = 0.002, ["warmup_steps"] = 2,
            ["max_length"] = 128, ["checkpoint_every"] = 3, ["eval_every"] = 1000, ["log_every"] = 1, ["device"] = "cpu", ["threads"] = 1, ["seed"] = seed,
        }));
        return (model, training);
    }

    private static ProcessResult Mpi(int ranks, params string[] args) => GeneformerProcess.RunMpi(ranks, args);

    private static Dictionary<string, float[]> Weights(string checkpoint)
    {
        using var model = ModelFolder.Load(checkpoint);
        return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
    }

    [Fact]
    public void Two_ranks_on_halves_of_the_global_batch_end_with_the_weights_of_one_process_on_all_of_it()
    {
        var dir = corpus.NewDir("mpi");
        var (_, one) = Configs(Path.Combine(dir, "one"), microBatch: 8);
        var (_, two) = Configs(Path.Combine(dir, "two"), microBatch: 4);
        var single = GeneformerProcess.Run("pretrain", "--training", one, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck1"));
        Assert.True(single.ExitCode == 0, single.ToString());
        var parallel = Mpi(2, "pretrain", "--training", two, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck2"));
        Assert.True(parallel.ExitCode == 0, parallel.ToString());
        Assert.Contains("world size 2 (mpi)", parallel.StdOut);
        Assert.Contains("global batch 16 = 4 x 2 x 2", parallel.StdOut);

        var a = Weights(Path.Combine(dir, "ck1", "step-000006"));
        var b = Weights(Path.Combine(dir, "ck2", "step-000006"));
        foreach (var (name, w) in a)
        {
            var max = w.Zip(b[name]).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(max < 1e-5, $"{name}: max difference {max}");
        }
        // Both ranks held identical weights when the checkpoint was taken.
        var parts = Directory.GetFiles(Path.Combine(dir, "ck2", "step-000006", "ranks"), "rank-*.json").Select(File.ReadAllText).ToList();
        Assert.Equal(2, parts.Count);
        var digests = parts.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("weights_sha256").GetString()).Distinct();
        Assert.Single(digests);
    }

    [Fact]
    public void With_dropout_on_two_ranks_compute_what_one_process_computes()
    {
        // The shipped tiny model with its dropout; the same micro batch on both sides, so each chunk of a step holds the
        // same cells and draws the same dropout masks whichever rank computes it.
        var dir = corpus.NewDir("mpi-dropout");
        Directory.CreateDirectory(dir);
        var training = Path.Combine(dir, "training.json");
        File.WriteAllText(training, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = "tiny", ["micro_batch"] = 8, ["global_batch"] = 16, ["max_steps"] = 5, ["lr"] = 0.002, ["warmup_steps"] = 2,
            ["max_length"] = 128, ["checkpoint_every"] = 5, ["eval_every"] = 1000, ["log_every"] = 1, ["device"] = "cpu", ["threads"] = 1, ["seed"] = 3,
        }));
        Assert.True(BertConfig.Load(Path.Combine(RepoPaths.Root, "cluster-configs", "models", "tiny.json")).HiddenDropout > 0);
        var single = GeneformerProcess.Run("pretrain", "--training", training, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck1"));
        Assert.True(single.ExitCode == 0, single.ToString());
        var parallel = Mpi(2, "pretrain", "--training", training, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck2"));
        Assert.True(parallel.ExitCode == 0, parallel.ToString());
        Assert.Contains("global batch 16 = 8 x 1 x 2", parallel.StdOut);

        var a = Weights(Path.Combine(dir, "ck1", "step-000005"));
        var b = Weights(Path.Combine(dir, "ck2", "step-000005"));
        foreach (var (name, w) in a)
        {
            var max = w.Zip(b[name]).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(max < 1e-5, $"{name}: max difference {max}");
        }
    }

    [Fact]
    public void A_two_rank_run_stopped_and_resumed_matches_an_uninterrupted_one_bit_for_bit()
    {
        var dir = corpus.NewDir("mpi-resume");
        var (_, two) = Configs(dir, microBatch: 4);
        var straight = Mpi(2, "pretrain", "--training", two, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "straight"));
        Assert.True(straight.ExitCode == 0, straight.ToString());
        var first = Mpi(2, "pretrain", "--training", two, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "resumed"), "--stop-after-step", "4");
        Assert.Equal(75, first.ExitCode);
        var second = Mpi(2, "pretrain", "--training", two, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "resumed"));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("resumed from", second.StdOut);

        var a = Weights(Path.Combine(dir, "straight", "step-000006"));
        var b = Weights(Path.Combine(dir, "resumed", "step-000006"));
        foreach (var (name, w) in a) Assert.True(w.SequenceEqual(b[name]), $"{name} differs after a two-rank resume");
    }

    [Fact]
    public void One_rank_failing_ends_the_whole_job_with_its_error_instead_of_hanging()
    {
        // MPMD launch: rank 1 is given a corpus that does not exist, so it fails while rank 0 waits for it in the first
        // collective. The failed rank must not wait in MPI_Finalize for rank 0 (which would wait for it in turn).
        var dir = corpus.NewDir("mpi-fail");
        var (_, cfg) = Configs(dir, microBatch: 8);
        var missing = Path.Combine(dir, "no-such-corpus");
        string[] Rank(string corpusDir) => ["-n", "1", "dotnet", GeneformerProcess.Dll, "pretrain", "--training", cfg, "--corpus", corpusDir, "--checkpoints", Path.Combine(dir, "ck")];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = ProcessRunner.Run("mpiexec.mpich", [.. Rank(corpus.Corpus), ":", .. Rank(missing)], TimeSpan.FromMinutes(3),
            env: new Dictionary<string, string> { ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs") });
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(missing, r.StdErr);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), $"the job took {clock.Elapsed} to end");
        Assert.False(Directory.Exists(Path.Combine(dir, "ck", "step-000003")), "rank 0 trained on alone");
    }

    [Fact]
    public void Ranks_that_would_resume_different_checkpoints_all_stop_saying_what_each_has()
    {
        // MPMD launches give each rank its own --checkpoints, as a stale node-local copy would.
        var dir = corpus.NewDir("mpi-disagree");
        string Train(string name, int steps, int seed)
        {
            var (_, cfg) = Configs(Path.Combine(dir, name + "-cfg"), microBatch: 8, maxSteps: steps, seed: seed);
            var ck = Path.Combine(dir, name);
            var r = GeneformerProcess.Run("pretrain", "--training", cfg, "--corpus", corpus.Corpus, "--checkpoints", ck);
            Assert.True(r.ExitCode == 0, r.ToString());
            return ck;
        }
        var six = Train("six", 6, seed: 3);
        var otherSix = Train("other-six", 6, seed: 4);
        var three = Train("three", 3, seed: 3);
        var (_, resume) = Configs(Path.Combine(dir, "resume-cfg"), microBatch: 8, maxSteps: 9);
        ProcessResult Resume(string rank0, string rank1)
        {
            string[] Rank(string ck) => ["-n", "1", "dotnet", GeneformerProcess.Dll, "pretrain", "--training", resume, "--corpus", corpus.Corpus, "--checkpoints", ck];
            return ProcessRunner.Run("mpiexec.mpich", [.. Rank(rank0), ":", .. Rank(rank1)], TimeSpan.FromMinutes(3),
                env: new Dictionary<string, string> { ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs") });
        }

        var steps = Resume(six, three);
        Assert.NotEqual(0, steps.ExitCode);
        Assert.Contains("ranks disagree on the checkpoint step they resumed (rank 0: step 6; rank 1: does not see step 6)", steps.StdErr);
        var weights = Resume(six, otherSix);
        Assert.NotEqual(0, weights.ExitCode);
        Assert.Contains("ranks disagree on the weights they resumed (rank 0: step 6, weights sha256 ", weights.StdErr);
        Assert.False(Directory.Exists(Path.Combine(six, "step-000009")), "a rank trained on");
        Assert.False(Directory.Exists(Path.Combine(otherSix, "step-000009")), "a rank trained on");
    }

    [Fact]
    public void A_world_size_that_does_not_divide_the_global_batch_is_refused_by_every_rank()
    {
        var dir = corpus.NewDir("mpi-bad");
        var (_, cfg) = Configs(dir, microBatch: 3);
        var r = Mpi(2, "pretrain", "--training", cfg, "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("global batch 16 must be a positive multiple of micro batch x world size = 3 x 2 = 6", r.StdErr);
    }
}
