namespace Geneformer.Bench;

/// <summary>What the eager PyTorch script measured (tools/bench/eager_pytorch.py prints it as one JSON object).</summary>
/// <param name="PhaseSeconds">training only: seconds per step in forward (with the loss), backward (with zero_grad) and the optimizer step</param>
public sealed record EagerResult(double TokensPerSecond, double CellsPerSecond, double SecondsPerStep, int Threads, string TorchVersion, string Attention, string Blas,
    IReadOnlyDictionary<string, double> PhaseSeconds);
