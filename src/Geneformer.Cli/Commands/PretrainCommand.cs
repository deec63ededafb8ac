using System.CommandLine;
using Geneformer.Distributed.Collectives;
using Geneformer.Model;
using Geneformer.Training;
using Geneformer.Training.Checkpoints;

namespace Geneformer.Cli.Commands;

/// <summary>
/// <c>geneformer pretrain</c>: trains on a prepared corpus. Started by <c>mpiexec</c>/<c>srun</c>, each process is
/// one rank (MPI on CPU, NCCL on CUDA); started plainly, it is a single process.
/// </summary>
public static class PretrainCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Training preset (cluster-configs/training/NAME.json: tiny, geneformer-10m, geneformer-106m) or a training config file", Required = true };
        var corpus = new Option<string>("--corpus") { Description = "Prepared corpus directory (geneformer prepare)", Required = true };
        var checkpoints = new Option<string>("--checkpoints") { Description = "Checkpoint directory on storage every rank sees", Required = true };
        var model = new Option<string?>("--model") { Description = "Override the preset's model (preset name or config.json)" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Optimizer steps in the whole run (the LR schedule spans them)" };
        var checkpointEvery = new Option<long?>("--checkpoint-every") { Description = "Commit a checkpoint every N steps" };
        var evalEvery = new Option<long?>("--eval-every") { Description = "Validation loss every N steps" };
        var globalBatch = new Option<long?>("--global-batch") { Description = "Cells per optimizer step over all ranks (= micro batch x accumulation x world size)" };
        var microBatch = new Option<int?>("--micro-batch") { Description = "Cells per forward/backward on one rank" };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate" };
        var seed = new Option<long?>("--seed") { Description = "Seed for initialisation, data order, masking and dropout" };
        var device = new Option<string?>("--device") { Description = "cpu, cuda, cuda:N or auto" };
        var threads = new Option<int?>("--threads") { Description = "Torch intra-op threads per rank (0 = libtorch default)" };
        var resume = new Option<string>("--resume") { Description = "auto (newest checkpoint that verifies, else start), none (start; refuse a non-empty --checkpoints), or a checkpoint directory", DefaultValueFactory = _ => "auto" };
        var metrics = new Option<string?>("--metrics") { Description = "Metrics JSONL file (default: CHECKPOINTS/metrics.jsonl)" };
        var stopAfter = new Option<long?>("--stop-after-step") { Description = "Checkpoint and exit (code 75) after this many steps without changing the LR schedule" };
        var command = new Command("pretrain", "Pretrain Geneformer on a prepared corpus; under mpiexec/srun each process is one rank. Exit 0 = finished, 75 = checkpointed after SIGTERM/SIGUSR1 (requeue)")
        {
            config, corpus, checkpoints, model, maxSteps, checkpointEvery, evalEvery, globalBatch, microBatch, lr, seed, device, threads, resume, metrics, stopAfter,
        };
        command.SetAction(r =>
        {
            var c = TrainingConfigs.Resolve(r.GetValue(config)!);
            c = c with
            {
                Model = r.GetValue(model) ?? c.Model,
                MaxSteps = r.GetValue(maxSteps) ?? c.MaxSteps,
                CheckpointEvery = r.GetValue(checkpointEvery) ?? c.CheckpointEvery,
                EvalEvery = r.GetValue(evalEvery) ?? c.EvalEvery,
                GlobalBatch = r.GetValue(globalBatch) ?? c.GlobalBatch,
                MicroBatch = r.GetValue(microBatch) ?? c.MicroBatch,
                LearningRate = r.GetValue(lr) ?? c.LearningRate,
                Seed = r.GetValue(seed) ?? c.Seed,
                Device = r.GetValue(device) ?? c.Device,
                Threads = r.GetValue(threads) ?? c.Threads,
            };
            c.Validate("command line");
            var modelConfig = ModelConfigs.Resolve(c.Model);
            var checkpointDir = r.GetValue(checkpoints)!;
            var deviceType = TorchRuntime.ResolveDevice(c.Device).type;
            using var collectives = CollectivesFactory.Create(deviceType);
            var (data, reader) = CorpusTrainingData.Open(r.GetValue(corpus)!);
            using (reader)
            using (var stop = StopSignal.ListenToProcessSignals(r.GetValue(stopAfter)))
            {
                using var trainer = new Trainer(c, modelConfig, data, new CheckpointStore(checkpointDir), collectives, Console.Out,
                    stop, r.GetValue(metrics) ?? Path.Combine(checkpointDir, "metrics.jsonl"));
                return trainer.Run(ResumeFrom.Parse(r.GetValue(resume)!)).ExitCode;
            }
        });
        return command;
    }
}
