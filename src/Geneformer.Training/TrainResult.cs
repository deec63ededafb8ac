namespace Geneformer.Training;

public sealed record TrainResult(int ExitCode, long Step, double? LastLoss, double? LastValidationLoss, string? StopReason);
