using System.Reflection;
using System.Runtime.InteropServices;
using Geneformer.Collectives;
using Geneformer.Collectives.Nccl;
using Geneformer.Model;
using Geneformer.Model.Native;
using TorchSharp;

namespace Geneformer.Cli.Doctor;

/// <summary>
/// What a cluster user checks first: the program, TorchSharp and the libtorch in use, CUDA devices, NCCL, MPI, the
/// launcher's variables, and whether the configured device and its collectives backend would start here.
/// </summary>
public sealed record DoctorReport(IReadOnlyList<DoctorLine> Lines, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;

    /// <summary>Why the libtorch of GENEFORMER_LIBTORCH (or none) could not be loaded at start-up, when it could not.</summary>
    public static string? LibTorchProblem { get; set; }

    private static readonly string[] LauncherVariables =
        ["SLURM_JOB_ID", "SLURM_JOB_NODELIST", "SLURM_NTASKS", "SLURM_PROCID", "SLURM_LOCALID", "SLURM_GPUS_ON_NODE", "RANK", "WORLD_SIZE", "LOCAL_RANK", "PMI_RANK", "PMI_SIZE", "CUDA_VISIBLE_DEVICES"];

    /// <param name="device">the device setting to check: cpu, cuda, cuda:N or auto</param>
    /// <param name="underCoordinator">whether ranks run under the coordinator (the Slurm script's default)</param>
    public static DoctorReport Examine(string device, bool underCoordinator)
    {
        var lines = new List<DoctorLine>();
        var problems = new List<string>();
        void Add(string name, string value) => lines.Add(new DoctorLine(name, value));

        var program = typeof(DoctorReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
        var selfContained = File.Exists(Path.Combine(AppContext.BaseDirectory, "libcoreclr.so"));
        Add("geneformer", $"{program} at {AppContext.BaseDirectory.TrimEnd('/')}");
        Add(".NET", $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.RuntimeIdentifier}, {(selfContained ? "self-contained" : "framework-dependent")}");
        Add("garbage collector", DescribeGarbageCollector());
        Add("TorchSharp", $"{LibTorchLoader.TorchSharpVersion} ({TorchRuntime.BuildBackend} build), built for libtorch {LibTorchLoader.BuiltFor}");

        var torchLoaded = false;
        if (LibTorchProblem is { } startup)
        {
            problems.Add(startup);
            Add("torch threads", "(libtorch not loaded)");
        }
        else
        {
            try
            {
                Add("torch threads", $"{torch.get_num_threads()} (of {Environment.ProcessorCount} cores)");
                torchLoaded = true;
            }
            catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                problems.Add($"libtorch did not load: {e.GetBaseException().Message.Split('\n')[0]}");
            }
        }
        Add("host allocator", HostAllocator.KeepFreedPages() == "kept"
            ? $"freed pages kept (glibc mmap threshold {HostAllocator.MmapThreshold >> 20} MiB, trim threshold {HostAllocator.TrimThreshold >> 20} MiB)"
            : HostAllocator.State!);
        var libtorch = LoadedLibraries.Find("libtorch_cpu.so");
        Add("libtorch", LibTorchLoader.Loaded is { } external
            ? $"{external.Version ?? "version unknown"} at {external.Folder} ({LibTorchLocation.Variable}={external.Setting})"
            : libtorch is not null ? $"{LibTorchLoader.BuiltFor} at {Path.GetDirectoryName(libtorch)} (this build's own)" : "not loaded");

        var (driver, gpus, driverError) = CudaDriver.Query();
        Add("CUDA driver", driver is not null ? $"CUDA {driver}" : driverError!);
        foreach (var g in gpus) Add($"cuda:{g.Index}", $"{g.Name}, {g.TotalMemoryBytes / (1024 * 1024):N0} MiB");
        var cudaAvailable = torchLoaded && torch.cuda.is_available();
        Add("CUDA in torch", cudaAvailable
            ? $"available, {torch.cuda.device_count()} device(s)"
            : "not available" + (LibTorchLoader.CudaLoadError is { } why ? $" (libtorch_cuda.so did not load: {why})" : TorchRuntime.BuildBackend == "cpu" && LibTorchLoader.Loaded is null ? " (this build's own libtorch is the CPU one; set GENEFORMER_LIBTORCH to a CUDA PyTorch)" : ""));

        var (ncclPath, ncclVersion, ncclError) = NcclLibrary.Describe();
        Add("NCCL", ncclPath is not null ? $"{ncclVersion ?? "version unknown"} at {ncclPath}" : ncclError!);
        var mpi = NativeLibrary.TryLoad("libmpich.so.12", out _) ? LoadedLibraries.Find("libmpich") ?? "libmpich.so.12" : null;
        Add("MPI", mpi is not null ? $"MPICH at {mpi}" : "MPICH (libmpich.so.12) not found");

        var set = LauncherVariables.Where(v => Environment.GetEnvironmentVariable(v) is not null).Select(v => $"{v}={Environment.GetEnvironmentVariable(v)}").ToArray();
        Add("launcher", set.Length > 0 ? string.Join(" ", set) : "none (one process)");
        RankPlacement? placement = null;
        try
        {
            placement = LaunchEnvironment.Placement();
            Add("rank", $"{placement.Rank} of {placement.WorldSize}, local rank {placement.LocalRank}");
        }
        catch (ArgumentException e)
        {
            problems.Add(e.Message);
        }

        if (!torchLoaded) return new DoctorReport(lines, problems);
        torch.Device? resolved = null;
        try
        {
            resolved = TorchRuntime.ResolveDevice(device, placement?.LocalRank);
            if (resolved.type == DeviceType.CUDA && resolved.index >= torch.cuda.device_count())
                throw new InvalidOperationException($"device {resolved} was asked for, but CUDA shows {torch.cuda.device_count()} device(s) (CUDA_VISIBLE_DEVICES={Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES") ?? "unset"})");
            Add("device", $"{device} -> {resolved}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            Add("device", $"{device}: cannot work");
            problems.Add(e.Message);
        }
        if (resolved is null) return new DoctorReport(lines, problems);

        var where = underCoordinator ? "under the coordinator" : "without a coordinator";
        try
        {
            var backend = CollectivesFactory.Choose(resolved.type, underCoordinator);
            var missing = backend switch
            {
                CollectivesBackend.Mpi when mpi is null => "MPI needs MPICH's libmpich.so.12 (Debian: apt-get install mpich)",
                CollectivesBackend.NcclOverMpi when mpi is null => "NCCL over MPI needs MPICH's libmpich.so.12 to share NCCL's id",
                CollectivesBackend.NcclOverMpi or CollectivesBackend.NcclOverCoordinator when ncclPath is null => $"NCCL is needed for CUDA ranks: {ncclError}",
                _ => null,
            };
            Add("collectives", $"{Describe(backend)} {where}: {(missing is null ? "would start" : "cannot start")}");
            if (missing is not null) problems.Add(missing);
        }
        catch (InvalidOperationException e)
        {
            Add("collectives", $"{where}: cannot start");
            problems.Add(e.Message);
        }
        return new DoctorReport(lines, problems);
    }

    private static string Describe(CollectivesBackend b) => b switch
    {
        CollectivesBackend.None => "none (one process)",
        CollectivesBackend.Mpi => "MPI",
        CollectivesBackend.NcclOverMpi => "NCCL (id shared over MPI)",
        CollectivesBackend.NcclOverCoordinator => "NCCL (id from the coordinator, no MPI)",
        _ => b.ToString(),
    };

    /// <summary>
    /// The collector this process runs with. A rank's training thread runs at <c>job.training_nice</c>; the workstation
    /// collector would collect on it, keeping the rank's heartbeat thread suspended for as long as a busy node starves
    /// training. The server collector (one heap, set in the project file) collects on threads of its own, at the default priority.
    /// </summary>
    private static string DescribeGarbageCollector()
    {
        var gc = GC.GetConfigurationVariables();
        if (!System.Runtime.GCSettings.IsServerGC) return "workstation (collections run on the allocating thread, at job.training_nice in a rank)";
        var heaps = gc.TryGetValue("HeapCount", out var count) ? Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return $"server, {heaps} heap{(heaps == 1 ? "" : "s")} (collections run on their own threads, at the default priority)";
    }
}
