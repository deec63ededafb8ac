using System.CommandLine;
using Geneformer.Common;
using Geneformer.Distributed.Status;
using Spectre.Console;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer status --coordinator URL [--json] [--watch]</c>: the coordinator's <c>/api/status</c> as a table.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "The coordinator's status URL, e.g. http://node01:8080, or a file holding it (the status-url a Slurm job writes in its checkpoint directory)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the raw JSON of /api/status" };
        var watch = new Option<bool>("--watch") { Description = "Refresh every 2 seconds until interrupted" };
        var command = new Command("status", "Show the job (step, ETA, tokens/s, MFU, checkpoint age, restarts, stragglers) and every worker (node, rank, device, phase, step, loss, tokens/s, MFU, step and compute time, heartbeat) from a coordinator") { coordinator, json, watch };
        command.SetAction(r =>
        {
            var root = CoordinatorUrl(r.GetValue(coordinator)!);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            do
            {
                var text = Fetch(http, new Uri(root, "api/status"));
                if (r.GetValue(json)) Console.WriteLine(text);
                else
                {
                    if (r.GetValue(watch)) AnsiConsole.Clear();
                    Render(StatusDocument.Parse(text, root.ToString()));
                }
                if (r.GetValue(watch)) Thread.Sleep(2000);
            } while (r.GetValue(watch));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The status URL given, or read from the file given (its first line).</summary>
    private static Uri CoordinatorUrl(string value)
    {
        if (ParseUrl(value) is { } url) return url;
        if (!File.Exists(value))
            throw new ArgumentException($"--coordinator '{value}': expected an http(s) URL such as http://node01:8080, or a file holding one");
        var line = File.ReadLines(value).FirstOrDefault()?.Trim() ?? "";
        return ParseUrl(line) ?? throw new InvalidDataException($"--coordinator {Path.GetFullPath(value)}: its first line '{line}' is not an http(s) URL");
    }

    private static Uri? ParseUrl(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var root) && root.Scheme is "http" or "https" ? root : null;

    private static string Fetch(HttpClient http, Uri url)
    {
        try
        {
            return http.GetStringAsync(url).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            throw new IOException($"{url}: coordinator not reachable ({e.Message})", e);
        }
    }

    private static void Render(StatusDocument s)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200; // a pipe or file gets whole rows
        var j = s.Job;
        AnsiConsole.MarkupLine($"[bold]job[/] {Markup.Escape(j.Phase)}  step {j.Step?.ToString() ?? "-"}/{j.MaxSteps?.ToString() ?? "-"}  ETA {ShortDuration.Format(j.EtaSeconds)}  " +
            $"tokens/s {j.TokensPerSecond?.ToString("0") ?? "-"}  MFU {Percent(j.Mfu)}  world size {j.WorldSize}  registered {j.RegisteredWorkers}  generation {j.Generation}  " +
            $"restarts {j.Restarts}/{j.MaxRestarts}  last committed step {j.LastCommittedStep?.ToString() ?? "-"}" +
            (j.LastCommittedAgeSeconds is { } age ? $" ({ShortDuration.Format(age)} ago)" : "") +
            (j.SlurmRestartCount is { } c ? $"  SLURM_RESTART_COUNT {Markup.Escape(c)}" : ""));
        if (s.Validation.Length > 0) AnsiConsole.MarkupLine($"validation loss {s.Validation[^1].Loss:0.0000} at step {s.Validation[^1].Step}");
        if (j.LastFailure is { } f) AnsiConsole.MarkupLine($"[red]last failure:[/] {Markup.Escape(f)}");
        foreach (var r in j.RestartHistory)
            AnsiConsole.MarkupLine($"restart to generation {r.Generation} at {r.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss}: {Markup.Escape(r.Cause)}");
        if (s.Workers.FirstOrDefault(w => w.Straggler) is { } slow)
            AnsiConsole.MarkupLine($"[yellow]straggler:[/] rank {slow.Rank} on {Markup.Escape(slow.Node)} computes {slow.ComputeSeconds:0.000}s a step; the job runs at its pace");
        var table = new Table().AddColumns("node", "rank", "local", "device", "pid", "phase", "step", "loss", "tokens/s", "TFLOPS", "MFU", "step s", "compute s", "committed", "heartbeat");
        foreach (var w in s.Workers.OrderBy(w => w.Node, StringComparer.Ordinal).ThenBy(w => w.Rank))
        {
            var phase = w.Phase == "failed" ? $"[red]{Markup.Escape(w.Phase)}[/]" : w.Stale ? $"[yellow]{Markup.Escape(w.Phase)} (stale)[/]" : Markup.Escape(w.Phase);
            var compute = w.ComputeSeconds?.ToString("0.000") ?? "-";
            table.AddRow(Markup.Escape(w.Node), w.Rank.ToString(), w.LocalRank.ToString(), Markup.Escape(w.Device), w.Pid.ToString(), phase, w.Step.ToString(),
                w.Loss?.ToString("0.0000") ?? "-", w.TokensPerSecond?.ToString("0") ?? "-", w.Tflops?.ToString("0.000") ?? "-", Percent(w.Mfu),
                w.StepSeconds?.ToString("0.000") ?? "-", w.Straggler ? $"[yellow]{compute} (straggler)[/]" : compute, w.LastCommittedStep?.ToString() ?? "-", $"{w.HeartbeatAgeSeconds:0.0}s");
        }
        AnsiConsole.Write(table);
    }

    private static string Percent(double? v) => v is { } x ? $"{100 * x:0.0}%" : "-";
}
