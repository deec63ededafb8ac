using Geneformer.Data.Loading;

namespace Geneformer.Training;

/// <summary>What the trainer trains on: the train and validation cells of a corpus and its vocabulary facts.</summary>
/// <param name="Description">for logs (the corpus path)</param>
/// <param name="TokenizerFiles">files copied into every checkpoint so the model can later tokenize new cells the same way (vocabulary, medians, token mode)</param>
public sealed record TrainingData(
    string Description,
    ITokenizedCells Train,
    ITokenizedCells? Validation,
    MaskingVocabulary Vocabulary,
    IReadOnlyList<string> TokenizerFiles);
