using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// The trainer's committer under the coordinator: report this rank's part (its worker actor resends until answered)
/// and block the training thread until the coordinator has committed the checkpoint, refused it, the job was aborted,
/// or the commit timeout passed.
/// </summary>
internal sealed class RankLinkCommitter(RankLinkConnection connection, WorkerLink link, TimeSpan timeout) : ICheckpointCommitter
{
    public void PartWritten(long step, int rank)
    {
        var committed = link.CommitOf(step);
        connection.Send(new RankLink.PartReady(step, rank));
        try
        {
            committed.Task.WaitAsync(timeout, link.Aborted).GetAwaiter().GetResult();
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"checkpoint step {step}: not committed by the coordinator within {timeout.TotalSeconds:0}s");
        }
        catch (OperationCanceledException)
        {
            throw new OperationCanceledException($"checkpoint step {step}: job aborted ({link.AbortReason})", link.Aborted);
        }
        finally
        {
            link.Commits.TryRemove(step, out _);
        }
    }
}
