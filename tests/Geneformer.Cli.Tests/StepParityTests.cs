using System.Text.Json;
using System.Text.Json.Nodes;
using Geneformer.TestSupport;
using Xunit.Abstractions;

namespace Geneformer.Cli.Tests;

/// <summary>
/// Whole training steps against an independent PyTorch trainer (tools/parity/reference_trainer.py): the project
/// trains with <c>--dump-batches</c>, the reference replays the same micro batches from the same starting weights,
/// and every step's loss and the final weights must agree. Tiny model, fp32, dropout off; the reference computes in
/// double precision. At the tiny preset's peak rate (5e-3) a ReLU unit that flips on one cell moves the Adam update of
/// a gene seen once by ~1e-3, in PyTorch's own fp32 too (docs/fidelity.md), so the comparison runs at 1e-4.
/// </summary>
public class StepParityTests(DemoCorpusFixture corpus, ITestOutputHelper output) : IClassFixture<DemoCorpusFixture>
{
    private const int Steps = 50;
    private const double LossRelTolerance = 1e-5;
    private const double ParamTolerance = 1e-4;
    /// <summary>Generous: the whole suite shares two cores with MPI ranks that poll.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);
    private static string Reference => Path.Combine(RepoPaths.Root, "tools", "parity", "reference_trainer.py");

    private string[] Pretrain(string checkpoints, string dump, params string[] extra) => Pretrain(checkpoints, dump, Steps, ["--model", NoDropoutModel(), .. extra]);

    private string[] Pretrain(string checkpoints, string dump, int steps, string[] extra, int? checkpointEvery = null) =>
        ["pretrain", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", checkpoints, "--threads", "1",
         "--max-steps", steps.ToString(), "--checkpoint-every", (checkpointEvery ?? steps).ToString(), "--eval-every", "1000", "--micro-batch", "4", "--global-batch", "16", "--lr", "1e-4",
         "--set", "log_every=1", "--set", "warmup_steps=5", "--dump-batches", dump, .. extra];

    /// <summary>The tiny preset's model with dropout off: the two libraries draw different dropout masks.</summary>
    private string NoDropoutModel()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "cluster-configs", "models", "tiny.json")))!.AsObject();
        config["hidden_dropout_prob"] = 0.0;
        config["attention_probs_dropout_prob"] = 0.0;
        var path = Path.Combine(Directory.CreateDirectory(corpus.NewDir("model")).FullName, "config.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    /// <summary>The reference's replay of <paramref name="dump"/> (from <paramref name="resumeFrom"/>, a PyTorch training state, when given), compared with the run's metrics and final weights.</summary>
    private JsonElement Replay(string dump, string checkpoints, int steps = Steps, string? resumeFrom = null, int firstStep = 1)
    {
        var r = ProcessRunner.Python(Timeout, Reference, [dump, "--steps", steps.ToString(), "--compare-metrics", Path.Combine(checkpoints, "metrics.jsonl"),
            "--compare-weights", Path.Combine(checkpoints, $"step-{steps:D6}", "model.safetensors"), .. resumeFrom is null ? Array.Empty<string>() : ["--resume-from", resumeFrom]]);
        var result = JsonDocument.Parse(r.StdOut.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(firstStep, result.GetProperty("first_step").GetInt32());
        Assert.Equal(steps - firstStep + 1, result.GetProperty("steps").GetInt32());
        var loss = result.GetProperty("loss_max_rel_diff").GetDouble();
        var param = result.GetProperty("param_max_abs_diff").GetDouble();
        output.WriteLine($"parity over steps {firstStep}-{steps}: loss max relative difference {loss:E1} (step {result.GetProperty("loss_worst_step")}), " +
                         $"weights max difference {param:E1} ({result.GetProperty("param_worst")}), {result.GetProperty("micro_batches")} micro batches, {result.GetProperty("packed_micro_batches")} packed");
        Assert.True(loss <= LossRelTolerance, $"loss differs by {loss:E2} (relative) at step {result.GetProperty("loss_worst_step")}: {r}");
        Assert.True(param <= ParamTolerance, $"{result.GetProperty("param_worst")} differs by {param:E2}: {r}");
        Assert.True(r.ExitCode == 0, r.ToString());
        return result;
    }

    private static void AssertRan(ProcessResult r, int exitCode = 0) => Assert.True(r.ExitCode == exitCode, r.ToString());

    [Fact]
    public void One_rank_with_gradient_accumulation_trains_as_pytorch_does()
    {
        var (ckpt, dump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        AssertRan(GeneformerProcess.Run(Timeout, Pretrain(ckpt, dump, "--set", "packing=false")));
        var result = Replay(dump, ckpt);
        Assert.Equal(4 * Steps, result.GetProperty("micro_batches").GetInt32()); // 16 cells = 4 x 4 accumulated micro batches
        Assert.Equal(0, result.GetProperty("packed_micro_batches").GetInt32());
    }

    [Fact]
    public void Packed_micro_batches_on_one_rank_and_on_two_mpi_ranks_train_as_pytorchs_padded_ones()
    {
        var (one, oneDump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        AssertRan(GeneformerProcess.Run(Timeout, Pretrain(one, oneDump)));
        var result = Replay(oneDump, one);
        Assert.Equal(result.GetProperty("micro_batches").GetInt32(), result.GetProperty("packed_micro_batches").GetInt32());

        var (two, twoDump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        AssertRan(GeneformerProcess.RunMpi(Timeout, 2, Pretrain(two, twoDump)));
        Replay(twoDump, two);
        // The same micro batches, whichever rank computed them: the two-rank run replays the one-rank run too.
        var files = Directory.GetFiles(oneDump, "chunk-*.npy", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(oneDump, f)).Order().ToArray();
        Assert.Equal(files, Directory.GetFiles(twoDump, "chunk-*.npy", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(twoDump, f)).Order());
        Assert.All(files, f => Assert.True(File.ReadAllBytes(Path.Combine(oneDump, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(twoDump, f))), f));
    }

    [Fact]
    public void A_run_stopped_and_resumed_midway_trains_as_one_uninterrupted_pytorch_run()
    {
        var (ckpt, dump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        var command = Pretrain(ckpt, dump, "--set", "packing=false");
        AssertRan(GeneformerProcess.Run(Timeout, [.. command, "--stop-after-step", "23"]), exitCode: 75);
        var resumed = GeneformerProcess.Run(Timeout, command);
        AssertRan(resumed);
        Assert.Contains("resumed from", resumed.StdOut + resumed.StdErr);
        Replay(dump, ckpt);
    }

    [Fact]
    public void Continued_pretraining_starts_from_a_model_folders_weights_with_a_fresh_optimizer_as_pytorch_would()
    {
        var (first, firstDump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        AssertRan(GeneformerProcess.Run(Timeout, Pretrain(first, firstDump, 4, ["--model", NoDropoutModel()])));
        var published = Path.Combine(first, "step-000004");

        var (ckpt, dump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        var r = GeneformerProcess.Run(Timeout, Pretrain(ckpt, dump, 10, ["--init-from", published]));
        AssertRan(r);
        Assert.Contains($"starting from the weights of {published}, with a fresh optimizer", r.StdOut);
        Assert.Equal(File.ReadAllBytes(Path.Combine(published, "model.safetensors")), File.ReadAllBytes(Path.Combine(dump, "model", "model.safetensors")));
        Replay(dump, ckpt, steps: 10);

        var both = GeneformerProcess.Run(Pretrain(corpus.NewDir("ckpt"), corpus.NewDir("dump"), 10, ["--init-from", published, "--model", "tiny"]));
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("the model is the folder's own config.json; leave --model out", both.StdErr);
    }

    [Fact]
    public void A_checkpoint_continues_in_pytorch_as_it_does_here_and_a_pytorch_state_continues_here()
    {
        var (ckpt, dump) = (corpus.NewDir("ckpt"), corpus.NewDir("dump"));
        AssertRan(GeneformerProcess.Run(Timeout, Pretrain(ckpt, dump, 20, ["--model", NoDropoutModel(), "--set", "packing=false"], checkpointEvery: 10)));

        // Out: the reference loads the converted step 10 with load_state_dict and trains steps 11-20 as the project did.
        var state = corpus.NewDir("pytorch");
        var exported = GeneformerProcess.Run(Timeout, ["checkpoints", "to-pytorch", Path.Combine(ckpt, "step-000010"), "--output", state]);
        AssertRan(exported);
        Assert.Contains("PyTorch training state of step 10", exported.StdOut);
        Replay(dump, ckpt, steps: 20, resumeFrom: state, firstStep: 11);

        // Back: five steps in PyTorch, saved with torch.save, committed as a checkpoint; the project goes on to step 20.
        var trained = corpus.NewDir("pytorch");
        AssertRan(ProcessRunner.Python(Timeout, Reference, dump, "--steps", "15", "--resume-from", state, "--save-state", trained));
        var back = corpus.NewDir("ckpt");
        var imported = GeneformerProcess.Run(Timeout, ["checkpoints", "from-pytorch", trained, "--checkpoints", back]);
        AssertRan(imported);
        Assert.Contains(Path.Combine(back, "step-000015"), imported.StdOut);
        var resumed = GeneformerProcess.Run(Timeout, Pretrain(back, corpus.NewDir("dump"), 20, ["--model", NoDropoutModel(), "--set", "packing=false"], checkpointEvery: 10));
        AssertRan(resumed);
        Assert.Contains($"resumed from {Path.Combine(back, "step-000015")} at step 15", resumed.StdOut);
        var (here, there) = (Losses(Path.Combine(ckpt, "metrics.jsonl")), Losses(Path.Combine(back, "metrics.jsonl")));
        Assert.Equal([16, 17, 18, 19, 20], there.Keys.Order());
        foreach (var (step, loss) in there)
            Assert.True(Math.Abs(loss - here[step]) <= LossRelTolerance * here[step], $"step {step}: loss {loss} after PyTorch's steps 11-15, {here[step]} in the uninterrupted run");

        // What it refuses, naming why: a step the directory already holds, an existing output, a foreign parameter order, a missing file.
        var again = GeneformerProcess.Run(["checkpoints", "from-pytorch", trained, "--checkpoints", back]);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("a resume would pick it over the imported step 15", again.StdErr);
        var existing = GeneformerProcess.Run(["checkpoints", "to-pytorch", Path.Combine(ckpt, "step-000010"), "--output", state]);
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains($"{state} already exists", existing.StdErr);
        AssertRan(ProcessRunner.Python(Timeout, "-c", "import sys, torch; o = torch.load(sys.argv[1]); g = o['param_groups'][1]; g['params'] = g['params'][::-1]; torch.save(o, sys.argv[1])",
            Path.Combine(trained, "optimizer.pt")));
        var reordered = GeneformerProcess.Run(["checkpoints", "from-pytorch", trained, "--checkpoints", corpus.NewDir("ckpt")]);
        Assert.Equal(2, reordered.ExitCode);
        Assert.Contains("the optimizer's parameters are not in BertForMaskedLM's order", reordered.StdErr);
        File.Delete(Path.Combine(trained, "scheduler.pt"));
        var incomplete = GeneformerProcess.Run(["checkpoints", "from-pytorch", trained, "--checkpoints", corpus.NewDir("ckpt")]);
        Assert.Equal(2, incomplete.ExitCode);
        Assert.Contains("scheduler.pt missing", incomplete.StdErr);
    }

    private static Dictionary<long, double> Losses(string metrics) =>
        File.ReadLines(metrics).Select(l => JsonNode.Parse(l)!.AsObject()).Where(o => o.ContainsKey("loss"))
            .ToDictionary(o => (long)o["step"]!, o => (double)o["loss"]!);
}
