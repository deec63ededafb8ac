using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Geneformer.Common;
using Geneformer.Collectives;
using Geneformer.Model;
using Geneformer.Evaluation.Inference;
using TorchSharp;

namespace Geneformer.Evaluation.Embedding;

/// <summary>
/// <c>geneformer embed</c> as one rank of several under an MPI launcher (mpiexec, srun --mpi=pmi2). Each rank embeds
/// a contiguous slice of the cells (<see cref="EmbeddingSlices"/>) into hidden part files beside the output; the
/// ranks then agree (an all-reduce) whether every part was written. If so, rank 0 streams the parts into the output
/// in rank order (= input order), commits it as a single process would, and removes the parts; if any rank failed,
/// every rank removes its part and exits non-zero, and nothing is written. The output directory must be one every
/// rank sees (a shared file system when ranks span nodes).
/// </summary>
public static class RankedEmbedding
{
    private const int Root = 0;

    /// <param name="runtime">device and precision for this rank, given its rank on the node</param>
    public static int Run(EmbedRequest request, Func<int?, (torch.Device Device, ComputePrecision Precision)> runtime)
    {
        var clock = Stopwatch.StartNew();
        var mpi = new MpiCollectives(LaunchEnvironment.WorldSize());
        using var job = RankedJob.Start(mpi);
        return job.Run(() => RunRank(request, runtime, mpi, job, clock));
    }

    private static int RunRank(EmbedRequest request, Func<int?, (torch.Device Device, ComputePrecision Precision)> runtime, MpiCollectives mpi, RankedJob job, Stopwatch clock)
    {
        var token = RunToken(mpi);
        var parts = Enumerable.Range(0, mpi.WorldSize).Select(r => EmbeddingFilePaths.ForPart(request.Output, request.PerGene, r, mpi.WorldSize, token)).ToArray();
        var label = $"rank {mpi.Rank} of {mpi.WorldSize}";

        EmbedSession? session = null;
        try
        {
            EmbeddingSummary? mine = null;
            Exception? failure = null;
            try
            {
                var (device, precision) = runtime(LaunchEnvironment.LocalRank());
                session = EmbedSession.Open(request, device, precision);
                mine = EmbedSlice(request, session, mpi, parts[mpi.Rank]);
            }
            catch (Exception e)
            {
                failure = e;
            }

            var totals = new double[] { mine?.Cells ?? 0, mine?.EmptyCells ?? 0, mine?.GeneTokens ?? 0 };
            var failed = job.FailedRanks(failure is not null, totals);
            if (failed > 0)
            {
                DeleteQuietly(parts[mpi.Rank]);
                return failure is not null ? Failed(label, failure) : OtherRankFailed(label, failed, mpi.WorldSize);
            }

            Exception? mergeFailure = null;
            if (mpi.Rank == Root)
            {
                try
                {
                    Merge(request, session!, parts);
                }
                catch (Exception e)
                {
                    mergeFailure = e;
                }
                finally
                {
                    foreach (var part in parts) DeleteQuietly(part);
                }
            }
            var mergeFailed = job.FailedRanks(mergeFailure is not null);
            if (mergeFailure is not null) return Failed(label, mergeFailure);
            if (mergeFailed > 0) return OtherRankFailed(label, mergeFailed, mpi.WorldSize);

            if (mpi.Rank == Root)
            {
                var summary = new EmbeddingSummary((long)totals[0], (long)totals[1], (long)totals[2], clock.Elapsed.TotalSeconds);
                EmbedSession.ReportWritten(request, EmbeddingFilePaths.For(request.Output, request.PerGene), summary, session!.Embedder.Hidden);
            }
            return ExitCodes.Ok;
        }
        finally
        {
            session?.Dispose();
        }
    }

    private static EmbeddingSummary EmbedSlice(EmbedRequest request, EmbedSession session, MpiCollectives mpi, EmbeddingFilePaths part)
    {
        var cells = session.Source.CellCount;
        var window = request.Options.WindowCells;
        var range = EmbeddingSlices.ForRank(cells, window, mpi.Rank, mpi.WorldSize);
        if (mpi.Rank == Root)
            Console.Error.WriteLine($"{session.Describe(request)}; over {mpi.WorldSize} MPI ranks, " +
                (EmbeddingSlices.WindowAligned(cells, window, mpi.WorldSize) ? $"whole windows of {window:N0} cells each" : $"fewer windows of {window:N0} cells than ranks, so cells shared out evenly"));
        Console.Error.WriteLine($"rank {mpi.Rank} of {mpi.WorldSize}: {range}");
        using var files = NpyEmbeddingFiles.ForPart(part.Vectors, session.Embedder.Hidden, request.Float16, request.PerGene, range.Count);
        var progress = new ProgressLine($"embed (rank 0 of {mpi.WorldSize}, {range})", request.Progress && mpi.Rank == Root);
        var summary = session.Embedder.Run(session.Source, range, files, progress.Report);
        files.Complete();
        return summary;
    }

    /// <summary>Rank 0: the parts, in rank order, streamed into the output files, committed as one process commits them.</summary>
    private static void Merge(EmbedRequest request, EmbedSession session, IReadOnlyList<EmbeddingFilePaths> parts)
    {
        using var output = new NpyEmbeddingFiles(request.Output, session.Embedder.Hidden, request.Float16, request.PerGene, session.Source.CellIds);
        foreach (var part in parts) output.AppendPart(part);
        output.Complete();
    }

    /// <summary>A name shared by every rank of this run (rank 0's random bytes), so concurrent runs never mix parts.</summary>
    private static string RunToken(MpiCollectives mpi)
    {
        var bytes = new byte[8];
        if (mpi.Rank == Root) Random.Shared.NextBytes(bytes);
        mpi.Broadcast(bytes, Root);
        return Convert.ToHexStringLower(bytes);
    }

    private static int Failed(string label, Exception failure)
    {
        if (!CliErrors.IsUserError(failure)) ExceptionDispatchInfo.Throw(failure);
        Console.Error.WriteLine($"error: {label}: {CliErrors.Message(failure)}; nothing written");
        return ExitCodes.BadInput;
    }

    private static int OtherRankFailed(string label, int failed, int ranks)
    {
        Console.Error.WriteLine($"{label}: stopped because {failed} of {ranks} ranks failed (see their errors); nothing written");
        return ExitCodes.OtherRankFailed;
    }

    private static void DeleteQuietly(EmbeddingFilePaths part)
    {
        try
        {
            part.Delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: could not remove a part file of {part.Vectors}: {e.Message}");
        }
    }
}
