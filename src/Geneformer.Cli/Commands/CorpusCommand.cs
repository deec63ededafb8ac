using System.CommandLine;
using System.Text.Json;
using Geneformer.Common;
using Geneformer.Data.Corpus;

namespace Geneformer.Cli.Commands;

/// <summary><c>geneformer corpus verify DIR</c>: every shard against the SHA-256 the manifest records.</summary>
public static class CorpusCommand
{
    public static Command Create()
    {
        var command = new Command("corpus", "Check a prepared corpus");
        command.Subcommands.Add(Verify());
        return command;
    }

    private static Command Verify()
    {
        var dir = new Argument<string>("DIR") { Description = "Prepared corpus directory (the --out of prepare)" };
        var threads = new Option<int>("--threads") { Description = "Shards hashed at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<bool>("--json") { Description = "One JSON object: shards checked, bytes, seconds, damaged shards" };
        var command = new Command("verify", "Verify the size and SHA-256 of every shard against the manifest (after copying a corpus, or when training stopped on a damaged shard); exit 1 if any differs") { dir, threads, json };
        command.SetAction(r =>
        {
            if (r.GetValue(threads) < 1) throw new ArgumentException($"--threads {r.GetValue(threads)}: expected 1 or more");
            using var reader = CorpusReader.Open(r.GetValue(dir)!);
            var result = reader.VerifyShards(threads: r.GetValue(threads));
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    corpus = reader.Directory, @checked = result.Checked, unrecorded = result.Unrecorded, bytes = result.Bytes,
                    seconds = Math.Round(result.Elapsed.TotalSeconds, 3), damaged = result.Damaged.Select(d => new { path = d.Path, problem = d.What }),
                }));
            }
            else
            {
                foreach (var d in result.Damaged) Console.WriteLine($"DAMAGED {d.Path}: {d.What}");
                Console.Error.WriteLine($"{reader.Directory}: {result.Checked - result.Damaged.Count} of {result.Checked} shards intact ({result.Describe()})");
            }
            if (result.Checked == 0 && result.Unrecorded > 0)
            {
                Console.Error.WriteLine($"{reader.Directory}: its manifest records no shard checksums, so nothing could be verified; re-run prepare to add them");
                return 1;
            }
            return result.Damaged.Count == 0 ? ExitCodes.Ok : 1;
        });
        return command;
    }
}
