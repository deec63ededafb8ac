namespace Geneformer.Distributed.Slurm;

/// <summary>
/// Where a submitted job says its coordinator serves its status: the batch script writes
/// <c>http://FIRST_NODE:STATUS_PORT/</c> to <c>CHECKPOINTS/status-url</c> once the coordinator listens, and again at
/// every start (a requeued job may land on other nodes). <c>geneformer status --coordinator</c> takes that file.
/// </summary>
public static class StatusUrl
{
    public const string FileName = "status-url";
}
