using Geneformer.Training.Checkpoints;
using Geneformer.TestSupport;

namespace Geneformer.Training.Tests;

public class CheckpointStoreTests
{
    private static void Stage(CheckpointStore store, long step, string content, double? validation = null)
    {
        var dir = store.BeginStaging(step);
        File.WriteAllText(Path.Combine(dir, "model.safetensors"), content);
        File.WriteAllText(Path.Combine(dir, CheckpointLayout.TrainerStateFile), new TrainerState { Step = step, ValidationLoss = validation }.ToJson());
        store.Commit(step);
    }

    [Fact]
    public void Verification_catches_a_corrupted_file_and_resume_skips_it_saying_why()
    {
        using var tmp = new TempDir();
        var store = new CheckpointStore(tmp.Path);
        Stage(store, 10, "weights at 10");
        Stage(store, 20, "weights at 20");
        File.WriteAllText(Path.Combine(store.PathOf(20), "model.safetensors"), "weights at 2X"); // same size, different bytes
        var (found, skipped) = store.FindResumable();
        Assert.Equal(10, found!.Step);
        var bad = Assert.Single(skipped);
        Assert.Equal(20, bad.Step);
        Assert.Contains("model.safetensors fails its SHA-256 check", bad.Problems);
    }

    [Fact]
    public void A_checkpoint_without_a_manifest_or_with_a_missing_file_is_not_resumable()
    {
        using var tmp = new TempDir();
        var store = new CheckpointStore(tmp.Path);
        Stage(store, 5, "a");
        Stage(store, 6, "b");
        File.Delete(Path.Combine(store.PathOf(6), "model.safetensors"));
        Directory.CreateDirectory(store.PathOf(7)); // a directory someone made by hand
        var (found, skipped) = store.FindResumable();
        Assert.Equal(5, found!.Step);
        Assert.Equal([7L, 6L], skipped.Select(s => s.Step));
        Assert.Contains("model.safetensors is missing", skipped[1].Problems);
    }

    [Fact]
    public void A_staged_but_uncommitted_checkpoint_is_invisible()
    {
        using var tmp = new TempDir();
        var store = new CheckpointStore(tmp.Path);
        Stage(store, 1, "a");
        var staging = store.BeginStaging(2);
        File.WriteAllText(Path.Combine(staging, "model.safetensors"), "half");
        Assert.Equal([1L], store.List().Select(c => c.Step));
        Assert.Equal(1, store.LatestPointer());
    }

    [Fact]
    public void Pruning_keeps_the_newest_and_the_best_by_validation_loss()
    {
        using var tmp = new TempDir();
        var store = new CheckpointStore(tmp.Path);
        Stage(store, 1, "a", validation: 3.0);
        Stage(store, 2, "b", validation: 1.0);
        Stage(store, 3, "c", validation: 2.0);
        Stage(store, 4, "d", validation: 2.5);
        var removed = store.Prune(keepLast: 2);
        Assert.Equal([1L], removed);
        Assert.Equal([4L, 3L, 2L], store.List().Select(c => c.Step));
    }
}
