using Geneformer.Data.Loading;
using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Training.Tests;

public class StepUploadTests
{
    [Fact]
    public void One_copy_gives_every_micro_batch_its_tensors_padded_or_packed()
    {
        var cells = new InMemoryCells([[5, 6, 7, 8], [9, 10], [11, 12, 13], [14, 15, 16, 17]]);
        var collator = new MicroBatchCollator(cells, new MlmMasking { SelectProbability = 0.5 }, new MaskingVocabulary(40, 0, 1, []), 3, 2048);
        var padded = collator.Collate([(0, 0), (1, 0)]);
        var full = collator.Collate([(0, 0), (3, 0)]);
        var packed = collator.Collate([(2, 0), (1, 0), (0, 0)], packed: true);
        Assert.True(padded.Padded);
        Assert.False(full.Padded);

        using var upload = new StepUpload(CPU);
        using var scope = NewDisposeScope();
        var on = upload.Upload([padded, full, packed]);

        Assert.Equal(padded.InputIds, on[0].InputIds.reshape(-1).data<long>().ToArray());
        Assert.Equal([2L, 4L], on[0].InputIds.shape);
        Assert.Equal(padded.AttentionMask, on[0].AttentionMask!.reshape(-1).data<bool>().ToArray());
        Assert.Equal(padded.MaskedPositions, on[0].MaskedPositions.data<long>().ToArray());
        Assert.Equal(padded.Labels, on[0].Labels.data<long>().ToArray());
        Assert.Null(on[0].Cells);

        Assert.Null(on[1].AttentionMask); // no cell shorter than the batch: attention needs no mask
        Assert.Equal(full.Labels, on[1].Labels.data<long>().ToArray());

        var cellsOn = on[2].Cells!;
        var expected = PackedCells.Of(packed.Lengths, CPU);
        Assert.Equal(packed.InputIds, on[2].InputIds.data<long>().ToArray());
        Assert.Equal(packed.MaskedPositions, on[2].MaskedPositions.data<long>().ToArray());
        Assert.Equal((expected.Count, expected.MaxLength), (cellsOn.Count, cellsOn.MaxLength));
        Assert.Equal(expected.Positions.data<long>().ToArray(), cellsOn.Positions.data<long>().ToArray());
        Assert.Equal(ScalarType.Int32, cellsOn.CuSeqLens.dtype);
        Assert.Equal(expected.CuSeqLens.data<int>().ToArray(), cellsOn.CuSeqLens.data<int>().ToArray());
        Assert.Equal(expected.PadIndex.data<long>().ToArray(), cellsOn.PadIndex.data<long>().ToArray());
        Assert.Equal(expected.KeyMask.shape, cellsOn.KeyMask.shape);
        Assert.Equal(expected.KeyMask.reshape(-1).data<bool>().ToArray(), cellsOn.KeyMask.reshape(-1).data<bool>().ToArray());
    }
}
