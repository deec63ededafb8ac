namespace Geneformer.Training.Tests;

/// <summary>
/// Tests that draw from torch's global generator (the trainer seeds it for initialisation and reseeds it for dropout
/// before every micro batch; model construction draws from it): they run alone, so no other test draws in between and runs that
/// must be bit-identical stay so.
/// </summary>
[CollectionDefinition(nameof(GlobalTorchRng), DisableParallelization = true)]
public sealed class GlobalTorchRng;
