using Geneformer.Model.Bert;
using static TorchSharp.torch;

namespace Geneformer.Training;

/// <summary>One micro batch's tensors on the device. They belong to the dispose scope <see cref="StepUpload.Upload"/> ran in.</summary>
/// <param name="InputIds">[B, S] padded, or [T] packed</param>
/// <param name="AttentionMask">[B, S] bool; null when packed or when no cell is padded</param>
/// <param name="Cells">where packed cells lie; null when padded</param>
public sealed record DeviceMicroBatch(Tensor InputIds, Tensor MaskedPositions, Tensor Labels, Tensor? AttentionMask, PackedCells? Cells);
