namespace Geneformer.Distributed.Cluster;

/// <summary>Registry key of the coordinator singleton (its proxy on every member).</summary>
public sealed class CoordinatorKey;
