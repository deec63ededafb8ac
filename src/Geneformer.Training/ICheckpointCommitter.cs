namespace Geneformer.Training;

/// <summary>
/// Decides when a staged checkpoint becomes committed. The default (<see cref="LocalCommit"/>) has rank 0
/// commit after a barrier; under the Akka coordinator every rank reports its part and the coordinator commits.
/// </summary>
public interface ICheckpointCommitter
{
    /// <summary>Called on every rank after it has written its part of the staged checkpoint; returns once the checkpoint is committed (or throws).</summary>
    void PartWritten(long step, int rank);
}
