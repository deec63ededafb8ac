using Akka.Actor;

namespace Geneformer.Distributed.Cluster;

/// <summary>The ranks registered in the current generation, keyed by rank.</summary>
internal sealed class WorkerRoster(TimeSpan gapWindow)
{
    private readonly SortedDictionary<int, RosterEntry> byRank = [];

    public int Count => byRank.Count;
    public IEnumerable<RosterEntry> Entries => byRank.Values;

    public RosterEntry? ByRef(IActorRef worker) => byRank.Values.FirstOrDefault(e => e.Worker.Equals(worker));
    public RosterEntry? ByRank(int rank) => byRank.GetValueOrDefault(rank);
    public IEnumerable<RosterEntry> OnNode(Akka.Actor.Address address) => byRank.Values.Where(e => e.Worker.Path.Address.Equals(address));

    /// <summary>Null when accepted, else why not.</summary>
    public string? Refusal(RegisterWorker r, IActorRef worker, int worldSize, long corpusCells)
    {
        var rank = r.Identity.Rank;
        if (rank < 0 || rank >= worldSize) return $"rank {rank} is outside the world of {worldSize} ranks";
        if (byRank.TryGetValue(rank, out var taken) && !taken.Worker.Equals(worker))
            return $"rank {rank} is already registered by {taken.Describe()}";
        if (byRank.Values.FirstOrDefault() is { } first && first.Registration.Settings != r.Settings)
            return $"rank {rank}'s training settings {r.Settings} differ from rank {first.Rank}'s {first.Registration.Settings}";
        if (r.TrainCells != corpusCells) return $"rank {rank} sees {r.TrainCells} train cells but the coordinator's corpus has {corpusCells}";
        return null;
    }

    public RosterEntry Add(RegisterWorker r, IActorRef worker, DateTimeOffset now)
    {
        if (byRank.TryGetValue(r.Identity.Rank, out var existing) && existing.Worker.Equals(worker)) return existing;
        return byRank[r.Identity.Rank] = new RosterEntry(r, worker, now) { Gaps = new HeartbeatGaps(gapWindow) };
    }

    public void Remove(int rank) => byRank.Remove(rank);

    public void Clear() => byRank.Clear();
}
