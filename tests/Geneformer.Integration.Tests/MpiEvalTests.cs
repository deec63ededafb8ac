using System.Text.Json;
using Geneformer.TestSupport;

namespace Geneformer.Integration.Tests;

/// <summary><c>geneformer eval mlm</c> over real MPI ranks (mpiexec.mpich) against the one-process run.</summary>
public class MpiEvalTests(DemoCorpusFixture corpus, RandomTinyModelFixture model) : IClassFixture<DemoCorpusFixture>, IClassFixture<RandomTinyModelFixture>
{
    private string[] Eval(string split) =>
        ["eval", "mlm", "--checkpoint", model.Model, "--corpus", corpus.Corpus, "--split", split, "--batch", "8", "--threads", "1", "--json"];

    private static JsonElement Json(ProcessResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines); // rank 0 alone prints
        return JsonDocument.Parse(lines[0]).RootElement;
    }

    [Fact]
    public void Two_ranks_score_the_same_cells_and_tokens_and_give_the_one_process_loss()
    {
        var one = Json(GeneformerProcess.Run(Eval("train")));
        var two = Json(GeneformerProcess.RunMpi(2, Eval("train")));
        foreach (var count in new[] { "cells", "tokens", "masked_tokens" }) Assert.Equal(one.GetProperty(count).GetInt64(), two.GetProperty(count).GetInt64());
        Assert.Equal(one.GetProperty("loss").GetDouble(), two.GetProperty("loss").GetDouble(), 1e-5);
        Assert.Equal(2, two.GetProperty("ranks").GetInt32());
        Assert.Equal(1, one.GetProperty("ranks").GetInt32());
    }
}
