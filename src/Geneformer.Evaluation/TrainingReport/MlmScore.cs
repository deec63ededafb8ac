namespace Geneformer.Evaluation.TrainingReport;

/// <summary>Held-out masked-LM loss of one checkpoint.</summary>
public sealed record MlmScore(long Step, double Loss, long MaskedTokens);
