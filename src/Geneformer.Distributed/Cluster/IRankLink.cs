namespace Geneformer.Distributed.Cluster;

/// <summary>What a <see cref="WorkerActor"/> tells the rank process it stands for (over its node-local connection).</summary>
internal interface IRankLink
{
    void Start(StartOrder order);
    void Committed(long step, string path);
    void CommitRefused(long step, string reason);
    void RequestCheckpoint();
    void RequestStop(string reason);
    void Abort(string reason);
    /// <summary>The agent is alive; sent every report interval.</summary>
    void Alive();
}
