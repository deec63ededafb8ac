using Geneformer.Common.IO;
using Geneformer.Data.Loading;
using Geneformer.Model;
using Geneformer.Model.Bert;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Training;

/// <summary>
/// A run written out so that another trainer can replay it step for step (<c>pretrain --dump-batches DIR</c>;
/// <c>tools/parity/reference_trainer.py</c> is one): the weights and the configuration it started from, and every
/// micro batch of every step, from every rank, as NumPy arrays:
/// <c>step-NNNNNN/chunk-CCCC.{input_ids,lengths,masked_positions,labels}.npy</c>. Step NNNNNN is the optimizer step
/// as <c>metrics.jsonl</c> numbers it (1 for the first); chunk CCCC is the micro batch's index among all of the step's
/// micro batches over every rank, so the files are the same for any world size. Padded micro batches have input ids
/// [cells, length] and masked positions into that flattened; packed ones have the cells' ids end to end and positions into them.
/// </summary>
public sealed class BatchDump(string root)
{
    public const string ModelFolderName = "model";

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>At a fresh start, on rank 0: the initial weights (<c>model/</c>) and the resolved <c>training.json</c>.</summary>
    public void WriteStart(BertForMaskedLM model, TrainingConfig config)
    {
        Directory.CreateDirectory(Root);
        ModelFolder.Save(Path.Combine(Root, ModelFolderName), model, replace: true);
        Durable.WriteAllText(Path.Combine(Root, CheckpointLayout.TrainingConfigFile), config.ToJson());
    }

    /// <summary>This rank's micro batches of optimizer step <paramref name="step"/> (1-based).</summary>
    public void Write(long step, StepBatches batches)
    {
        var dir = Path.Combine(Root, $"step-{step:D6}");
        Directory.CreateDirectory(dir);
        foreach (var m in batches.MicroBatches)
        {
            var prefix = Path.Combine(dir, $"chunk-{m.Chunk:D4}");
            if (m.Packed) Npy.Write<long>(prefix + ".input_ids.npy", m.InputIds, m.InputIds.Length);
            else Npy.Write<long>(prefix + ".input_ids.npy", m.InputIds, m.Batch, m.SeqLen);
            Npy.Write<long>(prefix + ".lengths.npy", m.Lengths.Select(l => (long)l).ToArray(), m.Lengths.Length);
            Npy.Write<long>(prefix + ".masked_positions.npy", m.MaskedPositions, m.MaskedPositions.Length);
            Npy.Write<long>(prefix + ".labels.npy", m.Labels, m.Labels.Length); // written last: the reader looks for it
        }
    }
}
