using ScottPlot;

namespace Geneformer.Bench.ControlPlane;

/// <summary>
/// The control-plane stage's figures as one chart: by world size, for each node size (a node agent per node against a
/// cluster member per rank), the time to a running job, the time to resume after a failure, the commit of a checkpoint
/// and the coordinator's CPU.
/// </summary>
public static class ControlPlaneChart
{
    private static readonly (string Figure, string Label, LinePattern Pattern)[] Times =
    [
        ("control-plane.all_training_s", "launch to every rank training", LinePattern.Solid),
        ("control-plane.restart_rendezvous_s", "failure to every rank training again", LinePattern.Dashed),
        ("control-plane.commit_latency_s", "checkpoint commit (one part per rank)", LinePattern.Dotted),
    ];

    private static readonly Color[] NodeSizeColors = [Colors.SteelBlue, Colors.DarkOrange, Colors.SeaGreen, Colors.Purple];

    public static void Write(IReadOnlyList<BenchFigure> figures, string path)
    {
        var points = figures.Where(f => f.Name.StartsWith("control-plane.", StringComparison.Ordinal) && f.Details.ContainsKey("ranks")).ToList();
        var nodeSizes = points.Select(f => Convert.ToInt32(f.Details["node_size"])).Distinct().Order().ToList();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        var (times, cpu) = (multiplot.GetPlot(0), multiplot.GetPlot(1));
        for (var i = 0; i < nodeSizes.Count; i++)
        {
            var nodeSize = nodeSizes[i];
            var color = NodeSizeColors[i % NodeSizeColors.Length];
            var topology = nodeSize == 1 ? "a member per rank" : $"an agent per {nodeSize} ranks";
            double[] Xs(string name) => [.. Of(points, name, nodeSize).Select(p => Math.Log2(p.Ranks))];
            foreach (var (figure, label, pattern) in Times)
            {
                // Seconds on a log scale: the two topologies differ by orders of magnitude.
                var line = times.Add.Scatter(Xs(figure), [.. Of(points, figure, nodeSize).Select(p => Math.Log10(Math.Max(p.Value, 0.01)))], color);
                (line.LinePattern, line.LegendText, line.MarkerSize) = (pattern, $"{label}, {topology}", 6);
            }
            var incomplete = points.Where(f => f.Name == "control-plane.incomplete" && Convert.ToInt32(f.Details["node_size"]) == nodeSize)
                .Select(f => Math.Log2(Convert.ToInt32(f.Details["ranks"]))).ToArray();
            if (incomplete.Length > 0)
            {
                var marks = times.Add.Scatter(incomplete, [.. incomplete.Select(_ => 2.2)], color);
                (marks.LineWidth, marks.MarkerShape, marks.MarkerSize, marks.LegendText) = (0, MarkerShape.Eks, 12, $"did not complete within 5 min here, {topology}");
            }
            var used = cpu.Add.Scatter(Xs("control-plane.coordinator_cpu_percent"), [.. Of(points, "control-plane.coordinator_cpu_percent", nodeSize).Select(p => p.Value)], color);
            (used.LegendText, used.MarkerSize) = ($"coordinator CPU, {topology}", 6);
        }
        var ranks = points.Select(f => Convert.ToInt32(f.Details["ranks"])).Distinct().Order().ToArray();
        foreach (var plot in new[] { times, cpu })
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ranks.Select(r => Math.Log2(r))], [.. ranks.Select(r => r.ToString())]);
            plot.XLabel("ranks (simulated, on one machine)");
            plot.ShowLegend(Edge.Right);
        }
        double[] decades = [-2, -1, 0, 1, 2];
        times.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(decades, [.. decades.Select(d => Math.Pow(10, d).ToString("0.##"))]);
        times.Axes.SetLimitsY(-2, 2.5);
        times.Title("Control plane by world size: times");
        times.YLabel("seconds (log scale)");
        cpu.Title("Coordinator CPU in steady state");
        cpu.YLabel("% of one core");
        cpu.Axes.SetLimitsY(0, Math.Max(10, points.Where(p => p.Name == "control-plane.coordinator_cpu_percent").Select(p => p.Value).DefaultIfEmpty(0).Max() * 1.3));
        multiplot.SavePng(path, 1400, 1100);
    }

    private static IEnumerable<(int Ranks, double Value)> Of(IEnumerable<BenchFigure> points, string name, int nodeSize) =>
        points.Where(f => f.Name == name && Convert.ToInt32(f.Details["node_size"]) == nodeSize)
            .Select(f => (Convert.ToInt32(f.Details["ranks"]), f.Value)).OrderBy(p => p.Item1);
}
