using System.Collections.Concurrent;
using Geneformer.Training;

namespace Geneformer.Distributed.Cluster;

/// <summary>What the worker actor and the training thread share: the start order, pending commits, the stop signal and the abort token.</summary>
internal sealed class WorkerLink(StopSignal stop)
{
    private readonly CancellationTokenSource abort = new();

    public StopSignal Stop { get; } = stop;
    public TaskCompletionSource<StartOrder> Start { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public ConcurrentDictionary<long, TaskCompletionSource<string>> Commits { get; } = new();
    public CancellationToken Aborted => abort.Token;
    public string? AbortReason { get; private set; }

    public void Abort(string reason)
    {
        lock (abort)
        {
            if (AbortReason is not null) return;
            AbortReason = reason;
        }
        // The token first: a thread woken by the failed start or commit must already see the abort.
        abort.Cancel();
        Start.TrySetException(new OperationCanceledException($"aborted: {reason}"));
        foreach (var c in Commits.Values) c.TrySetException(new OperationCanceledException($"aborted: {reason}"));
    }

    public TaskCompletionSource<string> CommitOf(long step) => Commits.GetOrAdd(step, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));
}
