using Geneformer.Common;
using Geneformer.Evaluation.Inference;

namespace Geneformer.Evaluation.Embedding;

/// <summary><c>geneformer embed</c> in one process: every cell, streamed window by window into the output files.</summary>
public static class SingleProcessEmbedding
{
    public static int Run(EmbedRequest request, EmbedSession session)
    {
        Console.Error.WriteLine(session.Describe(request));
        var hidden = session.Embedder.Hidden;
        using var files = new NpyEmbeddingFiles(request.Output, hidden, request.Float16, request.PerGene, session.Source.CellIds);
        var summary = session.Embedder.Run(session.Source, files, new ProgressLine("embed", request.Progress).Report);
        files.Complete();
        EmbedSession.ReportWritten(request, EmbeddingFilePaths.For(request.Output, request.PerGene), summary, hidden);
        return ExitCodes.Ok;
    }
}
