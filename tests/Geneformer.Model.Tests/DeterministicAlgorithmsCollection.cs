namespace Geneformer.Model.Tests;

/// <summary>Switches libtorch's process-wide deterministic mode: run alone, not beside tests that compute.</summary>
[CollectionDefinition(nameof(DeterministicAlgorithmsTests), DisableParallelization = true)]
public class DeterministicAlgorithmsCollection;
