namespace Geneformer.Cli.Tests;

/// <summary>Embed and eval tests share one corpus and one pair of checkpoints (they take a minute to make).</summary>
[CollectionDefinition(Name)]
public sealed class TrainedModelCollection : ICollectionFixture<TrainedModelFixture>
{
    public const string Name = "trained tiny model";
}
