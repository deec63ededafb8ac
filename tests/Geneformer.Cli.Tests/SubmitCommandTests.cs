using Geneformer.Distributed.Slurm;
using Geneformer.TestSupport;

namespace Geneformer.Cli.Tests;

/// <summary>`geneformer submit`: the rendered batch script (--dry-run) and its errors. Runs against Slurm are in the integration tests.</summary>
public class SubmitCommandTests(DemoCorpusFixture corpus) : IClassFixture<DemoCorpusFixture>
{
    private static ProcessResult Submit(IDictionary<string, string>? env, params string[] args)
    {
        var all = new Dictionary<string, string> { ["GENEFORMER_CONFIG_DIR"] = Path.Combine(RepoPaths.Root, "cluster-configs") };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) all[k] = v;
        return ProcessRunner.Run("dotnet", [GeneformerProcess.Dll, "submit", .. args], TimeSpan.FromMinutes(2), env: all);
    }

    private static ProcessResult Submit(params string[] args) => Submit(null, args);

    /// <summary>`bash -n`: the rendered script parses.</summary>
    private static void AssertBashParses(string script, string dir)
    {
        var path = Path.Combine(dir, "rendered.sbatch");
        File.WriteAllText(path, script);
        var r = ProcessRunner.Run("bash", ["-n", path]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void Dry_run_renders_the_64_gpu_defaults_with_absolute_paths_and_submits_nothing()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit")).FullName;
        var checkpoints = Path.Combine(dir, "ck");
        var r = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", checkpoints, "--dry-run");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(
        [
            "--job-name=geneformer-geneformer-106m", "--nodes=8", "--ntasks-per-node=8", "--gres=gpu:8", "--cpus-per-task=12", "--mem=0",
            "--time=48:00:00", "--signal=B:USR1@300", "--requeue", "--open-mode=append", $"--output={checkpoints}/slurm-%j.out",
        ], BatchScript.SbatchOptions(r.StdOut));
        Assert.Contains("DEVICE=cuda\n", r.StdOut);
        Assert.Contains($"CONFIG={Path.Combine(RepoPaths.Root, "cluster-configs", "training", "geneformer-106m.json")}\n", r.StdOut);
        Assert.Contains($"CORPUS={corpus.Corpus}\n", r.StdOut);
        Assert.Contains($"CHECKPOINTS={checkpoints}\n", r.StdOut);
        Assert.Contains($"GENEFORMER_BIN='", r.StdOut);
        Assert.Contains($" {GeneformerProcess.Dll}'\n", r.StdOut);
        Assert.Contains("srun --mpi=\"$srun_mpi\" --kill-on-bad-exit=1", r.StdOut);
        // The coordinator is on by default, with the default cluster settings and the per-job ports.
        Assert.Contains("COORDINATOR=1\n", r.StdOut);
        Assert.Contains($"CLUSTER_CONFIG={Path.Combine(RepoPaths.Root, "cluster-configs", "cluster", "default.json")}\n", r.StdOut);
        Assert.Contains("COORDINATOR_PORT=\n", r.StdOut);
        Assert.Contains("STATUS_PORT=\n", r.StdOut);
        Assert.Contains("scontrol requeue \"$SLURM_JOB_ID\"", r.StdOut);
        Assert.False(Directory.Exists(checkpoints), "--dry-run made the checkpoint directory");
        AssertBashParses(r.StdOut, dir);
    }

    [Fact]
    public void The_shipped_script_and_submit_agree_on_the_64_gpu_defaults()
    {
        Assert.Equal(JobSpec.Shipped.SbatchLines(), BatchScript.SbatchOptions(BatchScript.Template()));
        var shipped = File.ReadAllText(Path.Combine(RepoPaths.Root, "slurm", "pretrain.sbatch"));
        Assert.Equal(shipped, BatchScript.Template());
        var d = JobSpec.Shipped;
        Assert.Equal((8, 8, 12, "48:00:00", 300), (d.Nodes, d.TasksPerNode, d.CpusPerTask, d.Time, d.SignalLeadSeconds));
        Assert.Equal(("geneformer-106m", 3, "10", "default"), (d.Config, d.MaxRestarts, d.RestartDelay, d.ClusterConfig));
    }

    [Fact]
    public void A_batch_script_without_a_default_submit_needs_is_refused_naming_the_line()
    {
        var withoutTime = string.Join('\n', BatchScript.Template().Split('\n').Where(l => !l.StartsWith("#SBATCH --time=", StringComparison.Ordinal)));
        Assert.Equal("the batch script has no '#SBATCH --time=' line", Assert.Throws<InvalidDataException>(() => JobSpec.FromScript(withoutTime)).Message);
        var withoutRestarts = BatchScript.Template().Replace(": \"${MAX_RESTARTS:=3}\"", ": \"${MAX_RESTARTS:=three}\"", StringComparison.Ordinal);
        Assert.Equal("the batch script's MAX_RESTARTS is 'three'; expected a whole number", Assert.Throws<InvalidDataException>(() => JobSpec.FromScript(withoutRestarts)).Message);
    }

    [Fact]
    public void Dry_run_renders_cpu_test_sizes_and_every_option()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-cpu")).FullName;
        var r = Submit("--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--cpu", "--nodes", "1",
            "--gpus-per-node", "2", "--time", "00:10:00", "--signal-lead", "60", "--partition", "debug", "--account", "lab", "--mem", "8G",
            "--max-restarts", "5", "--job-name", "t1", "--lr", "5e-4", "--dry-run", "--", "--max-steps", "30", "--metrics", "it's a test.jsonl");
        Assert.True(r.ExitCode == 0, r.ToString());
        var options = BatchScript.SbatchOptions(r.StdOut);
        Assert.Equal(
        [
            "--job-name=t1", "--nodes=1", "--ntasks-per-node=2", "--cpus-per-task=1", "--mem=8G", "--time=00:10:00", "--signal=B:USR1@60",
            "--requeue", "--open-mode=append", $"--output={dir}/ck/slurm-%j.out", "--partition=debug", "--account=lab",
        ], options);
        Assert.Contains("DEVICE=cpu\n", r.StdOut);
        Assert.Contains("MAX_RESTARTS=5\n", r.StdOut);
        AssertBashParses(r.StdOut, dir);

        // The settings block, run by bash, gives back the pretrain arguments word for word: pretrain's options given to
        // submit, then those after --.
        var settings = string.Join('\n', r.StdOut.Split('\n').SkipWhile(l => !l.StartsWith("# >>> settings")).TakeWhile(l => !l.StartsWith("# <<< settings")));
        var probe = Path.Combine(dir, "settings.sh");
        File.WriteAllText(probe, settings + "\neval \"a=($EXTRA_ARGS)\"; printf '%s\\n' \"${a[@]}\"\n");
        var words = ProcessRunner.Run("bash", [probe]);
        Assert.True(words.ExitCode == 0, words.ToString());
        Assert.Equal(["--lr", "5e-4", "--max-steps", "30", "--metrics", "it's a test.jsonl"], words.StdOut.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void For_128_gpus_the_global_batch_must_divide_over_the_ranks()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-128")).FullName;
        var ok = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--nodes", "16", "--dry-run");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("--nodes=16", BatchScript.SbatchOptions(ok.StdOut));
        var bad = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--nodes", "16", "--dry-run", "--", "--micro-batch", "32");
        Assert.True(bad.ExitCode == 2, bad.ToString());
        Assert.Contains("global batch 2048 must be a positive multiple of micro batch x world size = 32 x 128 = 4096 (128 ranks)", bad.StdErr);
        var direct = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--nodes", "16", "--dry-run", "--micro-batch", "32");
        Assert.True(direct.ExitCode == 2, direct.ToString());
        Assert.Contains("32 x 128 = 4096 (128 ranks)", direct.StdErr);
        var badSet = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--nodes", "16", "--dry-run", "--", "--set", "micro_batch=32");
        Assert.True(badSet.ExitCode == 2, badSet.ToString());
        Assert.Contains("32 x 128 = 4096 (128 ranks)", badSet.StdErr);
        var unknownOption = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--dry-run", "--", "--max-stpes", "9");
        Assert.True(unknownOption.ExitCode == 2, unknownOption.ToString());
        Assert.Contains("--max-stpes", unknownOption.StdErr);
        var typo = Submit("--training", "geneformer-106m", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--dry-run", "--", "--set", "lenght_grouping=false");
        Assert.True(typo.ExitCode != 0, typo.ToString());
        Assert.Contains("unknown training config key 'lenght_grouping'", typo.StdErr);
    }

    [Fact]
    public void Bad_paths_times_and_a_missing_sbatch_are_reported_clearly()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-errors")).FullName;
        string[] Args(params string[] more) => ["--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--cpu", "--nodes", "1", "--tasks-per-node", "2", .. more];

        var noCorpus = Submit("--training", "tiny", "--corpus", Path.Combine(dir, "nope"), "--checkpoints", Path.Combine(dir, "ck"), "--dry-run");
        Assert.True(noCorpus.ExitCode == 2, noCorpus.ToString());
        Assert.Contains($"--corpus {Path.Combine(dir, "nope")}: no such directory", noCorpus.StdErr);

        var noParent = Submit("--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "a", "b"), "--dry-run");
        Assert.True(noParent.ExitCode == 2, noParent.ToString());
        Assert.Contains("neither it nor its parent directory exists", noParent.StdErr);

        var noConfig = Submit("--training", "no-such-preset", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--dry-run");
        Assert.True(noConfig.ExitCode == 2, noConfig.ToString());
        Assert.Contains("training config 'no-such-preset' is neither a file nor a preset", noConfig.StdErr);

        var badTime = Submit(Args("--dry-run", "--time", "ten minutes"));
        Assert.True(badTime.ExitCode == 2, badTime.ToString());
        Assert.Contains("is not a Slurm time limit", badTime.StdErr);

        var leadTooLong = Submit(Args("--dry-run", "--time", "00:04:00"));
        Assert.True(leadTooLong.ExitCode == 2, leadTooLong.ToString());
        Assert.Contains("--signal-lead 300 s must be positive and shorter than --time 00:04:00 (240 s)", leadTooLong.StdErr);

        var noSbatch = Submit(new Dictionary<string, string> { ["GENEFORMER_SBATCH"] = Path.Combine(dir, "no-sbatch-here") }, Args("--time", "00:10:00"));
        Assert.True(noSbatch.ExitCode == 4, noSbatch.ToString());
        Assert.Contains("cannot run", noSbatch.StdErr);
        Assert.Contains("needs the Slurm client commands (sbatch)", noSbatch.StdErr);
        Assert.Equal("", noSbatch.StdOut);
    }

    [Fact]
    public void Resume_names_the_newest_verified_checkpoint_or_leaves_it_to_auto_in_the_same_directory()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-resume")).FullName;
        var done = Path.Combine(dir, "done");
        var train = GeneformerProcess.Run("pretrain", "--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", done, "--threads", "1",
            "--max-steps", "2", "--checkpoint-every", "1", "--eval-every", "100");
        Assert.True(train.ExitCode == 0, train.ToString());
        string[] Args(string checkpoints, string resume) => ["--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", checkpoints, "--cpu", "--nodes", "1", "--tasks-per-node", "2", "--time", "00:10:00", "--resume-from", resume, "--dry-run"];

        var elsewhere = Submit(Args(Path.Combine(dir, "next"), done));
        Assert.True(elsewhere.ExitCode == 0, elsewhere.ToString());
        Assert.Contains($"RESUME_FROM={Path.Combine(done, "step-000002")}\n", elsewhere.StdOut);

        var one = Submit(Args(Path.Combine(dir, "next"), Path.Combine(done, "step-000001")));
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains($"RESUME_FROM={Path.Combine(done, "step-000001")}\n", one.StdOut);

        var same = Submit(Args(done, done));
        Assert.True(same.ExitCode == 0, same.ToString());
        Assert.Contains("RESUME_FROM=''\n", same.StdOut);
        Assert.Contains("resuming from", same.StdErr);

        var empty = Path.Combine(dir, "empty");
        Directory.CreateDirectory(empty);
        var none = Submit(Args(Path.Combine(dir, "next"), empty));
        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains($"--resume-from {empty}: no verified checkpoint there", none.StdErr);
    }

    [Fact]
    public void Coordinator_options_reach_the_settings_block_and_the_nodelist_the_sbatch_options()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-coord")).FullName;
        var r = Submit("--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--cpu", "--nodes", "2", "--tasks-per-node", "1",
            "--time", "00:10:00", "--no-coordinator", "--cluster", "test", "--coordinator-port", "25000", "--status-port", "25001", "--nodelist", "node[1-2]", "--dry-run");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("--nodelist=node[1-2]", BatchScript.SbatchOptions(r.StdOut));
        AssertBashParses(r.StdOut, dir);
        var settings = string.Join('\n', r.StdOut.Split('\n').SkipWhile(l => !l.StartsWith("# >>> settings")).TakeWhile(l => !l.StartsWith("# <<< settings")));
        var probe = Path.Combine(dir, "settings.sh");
        File.WriteAllText(probe, settings + "\necho \"$COORDINATOR|$CLUSTER_CONFIG|$COORDINATOR_PORT|$STATUS_PORT\"\n");
        var values = ProcessRunner.Run("bash", [probe], env: new Dictionary<string, string> { ["COORDINATOR"] = "1", ["STATUS_PORT"] = "1" });
        Assert.True(values.ExitCode == 0, values.ToString());
        Assert.Equal($"0|{Path.Combine(RepoPaths.Root, "cluster-configs", "cluster", "test.json")}|25000|25001", values.StdOut.Trim());
    }

    [Fact]
    public void Bad_coordinator_options_are_refused_before_anything_is_submitted()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-coord-bad")).FullName;
        string[] Args(params string[] more) => ["--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, "ck"), "--cpu", "--nodes", "1",
            "--tasks-per-node", "2", "--time", "00:10:00", "--dry-run", .. more];
        var port = Submit(Args("--status-port", "70000"));
        Assert.True(port.ExitCode == 2, port.ToString());
        Assert.Contains("--status-port 70000: expected a TCP port from 1 to 65535", port.StdErr);
        var profile = Submit(Args("--cluster", "no-such-profile"));
        Assert.True(profile.ExitCode == 2, profile.ToString());
        Assert.Contains("cluster config 'no-such-profile' is neither a file nor a profile", profile.StdErr);
        var badSetting = Path.Combine(dir, "cluster.json");
        File.WriteAllText(badSetting, """{ "job": { "max_restart": 3 } }""");
        var unknown = Submit(Args("--cluster", badSetting));
        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("unknown setting 'job:max_restart'", unknown.StdErr);
        var nodes = Submit(Args("--nodelist", "node[1-"));
        Assert.True(nodes.ExitCode == 2, nodes.ToString());
        Assert.Contains("--nodelist: Slurm node list 'node[1-'", nodes.StdErr);
    }

    [Fact]
    public void Submit_prints_the_job_id_alone_on_stdout_and_the_file_that_will_hold_the_status_url_on_stderr()
    {
        var dir = Directory.CreateDirectory(corpus.NewDir("submit-status")).FullName;
        var sbatch = Path.Combine(dir, "fake-sbatch.sh");
        File.WriteAllText(sbatch, "#!/bin/bash\ncat > /dev/null\necho '4242;cluster'\n");
        Assert.Equal(0, ProcessRunner.Run("chmod", ["+x", sbatch]).ExitCode);
        var env = new Dictionary<string, string> { ["GENEFORMER_SBATCH"] = sbatch };
        string[] Args(string ck, params string[] more) => ["--training", "tiny", "--corpus", corpus.Corpus, "--checkpoints", Path.Combine(dir, ck), "--cpu",
            "--nodes", "2", "--tasks-per-node", "1", "--time", "00:10:00", .. more];

        var submitted = Submit(env, Args("a", "--nodelist", "gpu10,gpu9", "--status-port", "31000"));
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        Assert.Equal("4242", submitted.StdOut.Trim());
        var file = Path.Combine(dir, "a", "status-url");
        Assert.Contains($"status: geneformer status --coordinator {file} once the job runs (the job writes its coordinator's URL there)", submitted.StdErr);

        var none = Submit(env, Args("c", "--no-coordinator"));
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("status: no coordinator (--no-coordinator)", none.StdErr);
    }
}
