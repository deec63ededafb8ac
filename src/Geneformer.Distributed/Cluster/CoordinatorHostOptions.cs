using System.Net;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Geneformer.Distributed.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Geneformer.Distributed.Cluster;

public sealed record CoordinatorHostOptions(ClusterSettings Settings, int WorldSize, string CheckpointRoot, long TrainCells)
{
    /// <summary>Where to start while the checkpoint directory holds no verified checkpoint (continuing another run): a checkpoint or a checkpoint directory.</summary>
    public string? InitialCheckpoint { get; init; }

    public MelLogLevel LogLevel { get; init; } = MelLogLevel.Information;
}
