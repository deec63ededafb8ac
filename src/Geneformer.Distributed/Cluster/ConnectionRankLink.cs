namespace Geneformer.Distributed.Cluster;

/// <summary>The agent's end of a rank's connection: what the rank's <see cref="WorkerActor"/> tells it, as messages.</summary>
internal sealed class ConnectionRankLink(RankLinkConnection connection) : IRankLink
{
    public void Start(StartOrder order) => connection.Send(new RankLink.Start(order));
    public void Committed(long step, string path) => connection.Send(new RankLink.Committed(step, path));
    public void CommitRefused(long step, string reason) => connection.Send(new RankLink.CommitRefused(step, reason));
    public void RequestCheckpoint() => connection.Send(new RankLink.CheckpointRequested());
    public void RequestStop(string reason) => connection.Send(new RankLink.StopRequested(reason));
    public void Abort(string reason) => connection.Send(new RankLink.Aborted(reason));
    public void Alive() => connection.Send(new RankLink.Alive());
}
