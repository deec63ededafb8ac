namespace Geneformer.Distributed.Slurm;

/// <summary>The job could not be submitted; the message says why (including sbatch's own words).</summary>
public sealed class SubmitException(string message) : Exception(message);
