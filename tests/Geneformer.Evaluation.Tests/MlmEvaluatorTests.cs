using Geneformer.Data.Loading;
using Geneformer.Evaluation.Inference;
using Geneformer.Model.Bert;
using Geneformer.Model;
using Geneformer.TestSupport;

namespace Geneformer.Evaluation.Tests;

public class MlmEvaluatorTests
{
    private const int Vocab = 40;
    private static BertConfig Model => new() { VocabSize = Vocab, HiddenSize = 32, NumLayers = 2, NumHeads = 4, IntermediateSize = 64, MaxPositions = 32 };

    [Fact]
    public void The_loss_does_not_depend_on_batch_size_and_covers_every_cell()
    {
        // Cells of 2 to 30 tokens: length-sorted batches of 8 must score exactly the masked tokens of one cell at a time.
        var cells = new InMemoryCells(LearnableCells.Learnable(100, Vocab, seed: 4, minLen: 2, maxLen: 30));
        TorchSharp.torch.manual_seed(3);
        using var model = new BertForMaskedLM(Model);
        var vocab = new MaskingVocabulary(Vocab, padTokenId: 0, maskTokenId: 1, []);
        MlmEvaluation Score(int batch) => MlmEvaluator.Evaluate(model, cells, vocab, new MlmMasking(), seed: 5, maxCells: 0, batch, maxLength: 32);
        var one = Score(1);
        var eight = Score(8);
        Assert.Equal(100, eight.Cells);
        Assert.Equal(one.Tokens, eight.Tokens);
        Assert.Equal(one.MaskedTokens, eight.MaskedTokens);
        Assert.Equal(one.Loss, eight.Loss, 1e-5);
        Assert.Equal(eight.Loss, Score(8).Loss); // deterministic
    }

    [Fact]
    public void Scoring_batches_are_length_sorted_and_hold_every_cell_once()
    {
        int Length(long c) => (int)(c * 7 % 11);
        var batches = ScoringBatches.Of(Enumerable.Range(0, 23).Select(i => (long)i), Length, 4).ToList();
        Assert.Equal(Enumerable.Range(0, 23).Select(i => (long)i), batches.SelectMany(b => b.Select(s => s.Cell)).Order());
        var lengths = batches.SelectMany(b => b.Select(s => Length(s.Cell))).ToList();
        Assert.Equal(lengths.OrderDescending(), lengths);
        Assert.All(batches[..^1], b => Assert.Equal(4, b.Length));
    }
}
