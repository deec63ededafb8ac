namespace Geneformer.Evaluation.TrainingReport;

/// <summary>The held-out split the MLM losses were computed on, and what frequency-only predictors score there.</summary>
/// <param name="UnigramLoss">cross-entropy under the training cells' gene frequencies</param>
/// <param name="PositionLoss">cross-entropy under their frequencies in each 64-token rank band</param>
public sealed record MlmSetting(string Corpus, string Split, long Cells, long Seed, double UnigramLoss, double PositionLoss);
