namespace Geneformer.Distributed.Cluster;

/// <summary>
/// Expands Slurm's compressed host lists the way <c>scontrol show hostnames</c> does:
/// <c>node[01-03,07],login1</c> → node01, node02, node03, node07, login1; several bracket groups multiply
/// (<c>r[1-2]n[1-2]</c> → r1n1, r1n2, r2n1, r2n2); zero padding follows the range's first bound.
/// </summary>
public static class SlurmNodeList
{
    public static IReadOnlyList<string> Expand(string list)
    {
        var hosts = new List<string>();
        foreach (var item in SplitTopLevel(list.Trim()))
        {
            IEnumerable<string> prefixes = [""];
            var i = 0;
            while (i < item.Length)
            {
                var open = item.IndexOf('[', i);
                if (open < 0)
                {
                    var tail = item[i..];
                    prefixes = prefixes.Select(p => p + tail).ToList();
                    break;
                }
                var close = item.IndexOf(']', open);
                if (close < 0) throw new FormatException($"Slurm node list '{list}': '[' without ']' in '{item}'");
                var literal = item[i..open];
                var choices = ExpandRanges(item[(open + 1)..close], list);
                prefixes = prefixes.SelectMany(p => choices.Select(c => p + literal + c)).ToList();
                i = close + 1;
            }
            hosts.AddRange(prefixes);
        }
        if (hosts.Count == 0) throw new FormatException($"Slurm node list '{list}' names no host");
        return hosts;
    }

    /// <summary>The first host of $SLURM_JOB_NODELIST (where the batch script starts the coordinator), or null outside Slurm.</summary>
    public static string? FirstHost(IDictionary<string, string?>? env = null)
    {
        var list = env is null ? Environment.GetEnvironmentVariable("SLURM_JOB_NODELIST")
            : env.TryGetValue("SLURM_JOB_NODELIST", out var v) ? v : null;
        return string.IsNullOrWhiteSpace(list) ? null : Expand(list)[0];
    }

    private static IEnumerable<string> SplitTopLevel(string list)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            if (list[i] == '[') depth++;
            else if (list[i] == ']') depth--;
            else if (list[i] == ',' && depth == 0)
            {
                if (i > start) yield return list[start..i];
                start = i + 1;
            }
            if (depth is < 0 or > 1) throw new FormatException($"Slurm node list '{list}': unbalanced brackets");
        }
        if (depth != 0) throw new FormatException($"Slurm node list '{list}': unbalanced brackets");
        if (start < list.Length) yield return list[start..];
    }

    private static List<string> ExpandRanges(string ranges, string list)
    {
        var result = new List<string>();
        foreach (var part in ranges.Split(','))
        {
            var dash = part.IndexOf('-');
            var from = dash < 0 ? part : part[..dash];
            var to = dash < 0 ? part : part[(dash + 1)..];
            if (!long.TryParse(from, out var a) || !long.TryParse(to, out var b) || from.Length == 0 || a > b || from.StartsWith('-'))
                throw new FormatException($"Slurm node list '{list}': bad range '{part}'");
            for (var n = a; n <= b; n++) result.Add(n.ToString().PadLeft(from.Length, '0'));
        }
        return result;
    }
}
