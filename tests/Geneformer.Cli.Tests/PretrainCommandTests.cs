using System.Diagnostics;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

public class PretrainCommandTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private string[] Pretrain(string checkpoints, params string[] extra) =>
        ["pretrain", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", checkpoints, "--threads", "1", .. extra];

    [Fact]
    public void Pretrains_from_the_command_line_writing_verified_checkpoints_and_metrics()
    {
        var ckpt = corpus.NewDir("ckpt");
        var r = GeneformerProcess.Run(Pretrain(ckpt, "--max-steps", "6", "--checkpoint-every", "3", "--eval-every", "3"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("validation_loss=", r.StdOut);
        var metrics = File.ReadAllLines(Path.Combine(ckpt, "metrics.jsonl"));
        Assert.Contains(metrics, l => l.Contains("\"step\":6,") && l.Contains("\"tokens_per_s\""));
        Assert.Contains(metrics, l => l.Contains("\"validation_loss\""));
        var verify = GeneformerProcess.Run("checkpoints", "verify", ckpt);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("step-000006", verify.StdOut);
        Assert.True(File.Exists(Path.Combine(ckpt, "step-000006", "tokenizer", "vocab.tsv")));
    }

    [Fact]
    public void A_local_job_whose_batch_does_not_divide_among_its_ranks_is_refused_before_any_rank_starts()
    {
        var ckpt = corpus.NewDir("ckpt");
        var r = GeneformerProcess.Run(Pretrain(ckpt, "--local", "--ranks", "3", "--max-steps", "2"));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("global batch 16 must be a positive multiple of micro batch x world size = 8 x 3 = 24 (3 ranks); change --ranks, or --global-batch/--micro-batch", r.StdErr);
        Assert.DoesNotContain("launching", r.StdOut + r.StdErr);
    }

    [Fact]
    public void Set_overrides_any_training_key_and_the_checkpoint_records_it()
    {
        var ckpt = corpus.NewDir("ckpt");
        var r = GeneformerProcess.Run(Pretrain(ckpt, "--max-steps", "2", "--set", "length_grouping=false", "--set", "warmup_steps=1"));
        Assert.True(r.ExitCode == 0, r.ToString());
        var saved = File.ReadAllText(Path.Combine(ckpt, "step-000002", "training.json"));
        Assert.Contains("\"length_grouping\": false", saved);
        Assert.Contains("\"warmup_steps\": 1,", saved);

        var bad = GeneformerProcess.Run(Pretrain(corpus.NewDir("ckpt"), "--set", "lenght_grouping=false"));
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("unknown training config key 'lenght_grouping'", bad.StdErr);
    }

    [Fact]
    public void Sigterm_checkpoints_at_the_next_step_and_exits_75_and_resume_continues()
    {
        var ckpt = corpus.NewDir("ckpt");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[GeneformerProcess.Dll, .. Pretrain(ckpt, "--max-steps", "500", "--checkpoint-every", "1000", "--eval-every", "1000")]) psi.ArgumentList.Add(a);
        psi.Environment["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs");
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!Snapshot().Contains("step=") && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Contains("step=", Snapshot());
        Process.Start("kill", ["-TERM", p.Id.ToString()])!.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(75, p.ExitCode);
        var verify = GeneformerProcess.Run("checkpoints", "list", "--json", ckpt);
        Assert.Contains("\"verified\":true", verify.StdOut);

        var resumed = GeneformerProcess.Run(Pretrain(ckpt, "--max-steps", "500", "--stop-after-step", "0"));
        Assert.Contains("resumed from", resumed.StdOut);

        string Snapshot() { lock (output) return output.ToString(); }
    }

    [Fact]
    public void Sigkill_during_a_checkpoint_write_never_corrupts_the_committed_checkpoints()
    {
        var ckpt = corpus.NewDir("ckpt");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[GeneformerProcess.Dll, .. Pretrain(ckpt, "--max-steps", "400", "--checkpoint-every", "1", "--eval-every", "1000")]) psi.ArgumentList.Add(a);
        psi.Environment["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs");
        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddMinutes(3);
        var killedDuringWrite = false;
        // Wait until at least two checkpoints are committed, then kill the moment the next one is being staged.
        while (DateTime.UtcNow < deadline && !p.HasExited)
        {
            var committed = Directory.Exists(ckpt) ? Directory.GetDirectories(ckpt, "step-*").Length : 0;
            var staging = committed >= 2 && Directory.Exists(ckpt) && Directory.GetDirectories(ckpt, ".step-*.staging").Length > 0;
            if (staging)
            {
                p.Kill();
                killedDuringWrite = true;
                break;
            }
            Thread.SpinWait(1000);
        }
        p.WaitForExit();
        Assert.True(killedDuringWrite, "never caught a checkpoint being written");

        var verify = GeneformerProcess.Run("checkpoints", "verify", ckpt);
        Assert.True(verify.ExitCode == 0, verify.ToString()); // every committed checkpoint still verifies
        var resumed = GeneformerProcess.Run(Pretrain(ckpt, "--max-steps", "400", "--checkpoint-every", "1", "--stop-after-step", "0"));
        Assert.Contains("resumed from", resumed.StdOut);
    }

    [Fact]
    public void Resume_from_seeds_a_new_checkpoint_directory_from_another_runs_and_its_own_checkpoints_win_after()
    {
        var first = corpus.NewDir("ckpt");
        Assert.Equal(0, GeneformerProcess.Run(Pretrain(first, "--max-steps", "4", "--checkpoint-every", "2", "--eval-every", "100")).ExitCode);

        var next = corpus.NewDir("ckpt");
        var seeded = GeneformerProcess.Run(Pretrain(next, "--max-steps", "6", "--checkpoint-every", "2", "--eval-every", "100", "--resume-from", first));
        Assert.True(seeded.ExitCode == 0, seeded.ToString());
        Assert.Contains($"{next} holds no checkpoint yet: starting from {Path.Combine(first, "step-000004")} (--resume-from)", seeded.StdOut);
        Assert.Contains($"resumed from {Path.Combine(first, "step-000004")} at step 4", seeded.StdOut);
        Assert.Equal(["step-000006"], Directory.GetDirectories(next, "step-*").Select(Path.GetFileName));

        // Its own newest checkpoint now wins over the seed.
        var again = GeneformerProcess.Run(Pretrain(next, "--max-steps", "8", "--checkpoint-every", "2", "--eval-every", "100", "--resume-from", first));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"resumed from {Path.Combine(next, "step-000006")} at step 6", again.StdOut);

        var empty = Directory.CreateDirectory(corpus.NewDir("empty")).FullName;
        var none = GeneformerProcess.Run(Pretrain(corpus.NewDir("ckpt"), "--max-steps", "2", "--resume-from", empty));
        Assert.Equal(2, none.ExitCode);
        Assert.Contains($"--resume-from {empty}: no verified checkpoint there", none.StdErr);
        var old = GeneformerProcess.Run(Pretrain(corpus.NewDir("ckpt"), "--max-steps", "2", "--resume", first));
        Assert.Equal(2, old.ExitCode);
        Assert.Contains($"--resume {first}: expected auto or none; to start from another run's checkpoint, use --resume-from {first}", old.StdErr);
    }

    [Fact]
    public void A_missing_corpus_is_a_clear_error()
    {
        var r = GeneformerProcess.Run("pretrain", "--training", "tiny", "--corpus", "/nonexistent/corpus", "--checkpoints", corpus.NewDir("c"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("/nonexistent/corpus", r.StdErr);
    }
}
