namespace Geneformer.Model.Tests;

/// <summary>Tests that seed torch's global generator and expect the same draws: they run alone, with no other test drawing in between.</summary>
[CollectionDefinition(nameof(GlobalTorchRng), DisableParallelization = true)]
public sealed class GlobalTorchRng;
