using System.CommandLine;
using System.Text.Json;
using Geneformer.Cli.Doctor;
using Geneformer.Common;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer doctor</c>: what this machine and build can run; non-zero exit when the configured device cannot work.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "Device to check: cpu, cuda, cuda:N or auto (under a launcher, cuda means cuda:LOCAL_RANK)", DefaultValueFactory = _ => "auto" };
        var noCoordinator = new Option<bool>("--no-coordinator") { Description = "Check the collectives of ranks without a coordinator (mpiexec/srun --mpi) instead of under one" };
        var json = new Option<bool>("--json") { Description = "One JSON object: facts, problems, ok" };
        var command = new Command("doctor", "Show the .NET, TorchSharp, libtorch, CUDA, NCCL, MPI and launcher this process sees, and whether the device and its collectives would start; exit 3 when they cannot")
        {
            device, noCoordinator, json,
        };
        command.SetAction(r =>
        {
            var report = DoctorReport.Examine(r.GetValue(device)!, underCoordinator: !r.GetValue(noCoordinator));
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    facts = report.Lines.ToDictionary(l => l.Name, l => l.Value),
                    problems = report.Problems,
                    ok = report.Ok,
                }));
            }
            else
            {
                var width = report.Lines.Max(l => l.Name.Length) + 2;
                foreach (var l in report.Lines) Console.WriteLine($"{l.Name.PadRight(width)}{l.Value}");
                foreach (var p in report.Problems) Console.Error.WriteLine($"problem: {p}");
                Console.WriteLine(report.Ok ? "ok" : "cannot run as configured (problems above)");
            }
            return report.Ok ? ExitCodes.Ok : ExitCodes.EnvironmentUnusable;
        });
        return command;
    }
}
