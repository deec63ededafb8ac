using Geneformer.Data.Matrix;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Evaluation.Embedding;

/// <summary>What <c>geneformer embed</c> was asked to do, its options checked and parsed.</summary>
public sealed record EmbedRequest(string Checkpoint, string Input, string Output, bool Float16, EmbeddingOptions Options,
    TokenizerSpec.Overrides Overrides, CellSourceOptions SourceOptions, bool Progress)
{
    public bool PerGene => Options.Pooling == EmbeddingPooling.Genes;
    public string DtypeName => Float16 ? "float16" : "float32";
}
