using Microsoft.Extensions.Hosting;

namespace Geneformer.Distributed.Cluster;

/// <summary>
/// A host lifetime that installs no signal handlers: SIGTERM/SIGUSR1 must reach the trainer's StopSignal (or the
/// coordinator's preemption) instead of stopping the host, which would leave the cluster before the final checkpoint.
/// </summary>
internal sealed class NoSignalsLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
