using System.Text.Json;
using Geneformer.Data.Loading;
using Geneformer.Data.Synthetic;
using Geneformer.Model;
using Geneformer.TestSupport;
using Geneformer.Training.Checkpoints;
using Geneformer.Training.Learning;
using Geneformer.Training.Parallel;

namespace Geneformer.Training.Tests;

/// <summary>
/// Pretraining must learn what a cell's other genes say about its masked ones: the shipped tiny presets, on cells
/// drawn from planted gene programs, must fall far below the losses of predicting from gene frequency or rank band alone.
/// A misaligned label, position or mask, or an initialisation that collapses the embeddings, fails this.
/// </summary>
[Collection(nameof(GlobalTorchRng))]
public class LearnabilityTests
{
    private static readonly GeneProgramCells Programs = new();

    private static BertConfig TinyModel => BertConfig.Load(Path.Combine(RepoPaths.Root, "cluster-configs", "models", "tiny.json"));

    private static TrainingConfig TinyTraining => TrainingConfig.Load(Path.Combine(RepoPaths.Root, "cluster-configs", "training", "tiny.json")) with
    {
        MaxSteps = 200, EvalEvery = 200, CheckpointEvery = 200, EvalCells = 256, Threads = 2, LogEvery = 10,
    };

    private static TrainingData Data(int vocab) => new("gene programs", Programs.Generate(0, 4000), Programs.Generate(1_000_000, 256),
        new MaskingVocabulary(vocab, padTokenId: 0, maskTokenId: 1, [2, 3]), new Dictionary<string, string>());

    private static List<JsonElement> Metrics(string path) =>
        File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void The_tiny_presets_learn_planted_gene_programs_far_below_the_frequency_and_rank_band_losses()
    {
        using var tmp = new TempDir();
        var model = TinyModel;
        var data = Data(model.VocabSize);
        var metrics = tmp["metrics.jsonl"];
        using var trainer = new Trainer(TinyTraining, model, data, new CheckpointStore(tmp["c"]), new SingleProcessCollectives(), TextWriter.Null, new StopSignal(), metrics);
        var result = trainer.Run(new ResumeFrom.None());

        var reference = TokenStatistics.Measure(data.Train, data.Vocabulary, 256, 20_000);
        Assert.Equal(Math.Log(Programs.Programs * Programs.ProgramGenes), reference.UnigramEntropy, 0.05);
        Assert.True(reference.PositionEntropy < reference.UnigramEntropy - 0.3, $"rank bands should carry information: {reference.PositionEntropy} vs {reference.UnigramEntropy}");
        Assert.True(result.LastValidationLoss < reference.PositionEntropy - 1.0,
            $"validation loss {result.LastValidationLoss} after 200 steps; unigram {reference.UnigramEntropy:0.000}, position-only {reference.PositionEntropy:0.000}");

        var records = Metrics(metrics);
        var first = records[0];
        Assert.Equal(reference.UnigramEntropy, first.GetProperty("unigram_entropy").GetDouble(), 1e-9);
        Assert.Equal(reference.PositionEntropy, first.GetProperty("position_entropy").GetDouble(), 1e-9);
        Assert.All(records.Where(r => r.TryGetProperty("loss", out _)), r => Assert.Equal(reference.UnigramEntropy, r.GetProperty("unigram_entropy").GetDouble(), 1e-9));
        Assert.DoesNotContain(records, r => r.TryGetProperty("warning", out _));
    }

    [Fact]
    public void A_run_whose_loss_sits_at_the_unigram_level_is_warned_about()
    {
        // With Hugging Face's zero output bias the tied embeddings spend themselves on pushing down the thousands of genes
        // the corpus never shows, and the loss stays at the unigram level: the run must say so.
        using var tmp = new TempDir();
        var model = TinyModel;
        var config = TinyTraining with { MaxSteps = 160, OutputBiasInit = "zero", LearningWatchSteps = 80 };
        var metrics = tmp["metrics.jsonl"];
        var log = new StringWriter();
        using var trainer = new Trainer(config, model, Data(model.VocabSize), new CheckpointStore(tmp["c"]), new SingleProcessCollectives(), log, new StopSignal(), metrics);
        trainer.Run(new ResumeFrom.None());

        var warnings = Metrics(metrics).Where(r => r.TryGetProperty("warning", out _)).ToList();
        var warning = Assert.Single(warnings);
        Assert.Contains("unigram level", warning.GetProperty("warning").GetString());
        Assert.Contains("unigram level", log.ToString());
    }
}
