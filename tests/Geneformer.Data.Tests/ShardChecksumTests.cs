using System.Security.Cryptography;
using Geneformer.Data.Corpus;
using Geneformer.Data.Pipeline;
using Geneformer.TestSupport;

namespace Geneformer.Data.Tests;

/// <summary>Every shard's size and SHA-256 is in the manifest, and a shard that differs is found before training reads it.</summary>
public class ShardChecksumTests
{
    private static (string Corpus, CorpusManifest Manifest) Build(TempDir tmp)
    {
        var data = new CorpusTestData(tmp.Path, CorpusTestData.Small());
        var options = new CorpusBuildOptions { Inputs = [data.InputDir], Output = tmp["corpus"], Seed = 9, RowsPerShard = 150, BatchRows = 64, CellsPerBlock = 50, HoldoutFraction = 0.01 };
        return (tmp["corpus"], new CorpusBuilder(data.Open).Build(options));
    }

    private static void FlipByte(string path, long at)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        f.Position = at;
        var b = f.ReadByte();
        f.Position = at;
        f.WriteByte((byte)(b ^ 0x01));
    }

    [Fact]
    public void The_manifest_records_each_shards_size_and_sha256_as_written()
    {
        using var tmp = new TempDir();
        var (corpus, manifest) = Build(tmp);
        var shards = manifest.Shards.Values.SelectMany(s => s).ToList();
        Assert.True(shards.Count >= 3, $"{shards.Count} shards");
        foreach (var s in shards)
        {
            var bytes = File.ReadAllBytes(Path.Combine(corpus, s.File));
            Assert.Equal(bytes.LongLength, s.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), s.Sha256);
        }
        using var reader = CorpusReader.Open(corpus);
        var verified = reader.VerifyShards();
        Assert.Equal((shards.Count, 0, 0), (verified.Checked, verified.Unrecorded, verified.Damaged.Count));
        Assert.Equal(shards.Sum(s => s.Bytes), verified.Bytes);
    }

    [Fact]
    public void A_flipped_byte_is_found_by_the_rank_whose_share_holds_the_shard_and_named()
    {
        using var tmp = new TempDir();
        var (corpus, manifest) = Build(tmp);
        var all = manifest.Shards.Values.SelectMany(s => s).ToList();
        var victim = 1;
        FlipByte(Path.Combine(corpus, all[victim].File), all[victim].Bytes!.Value / 2);

        using var reader = CorpusReader.Open(corpus);
        const int parts = 2;
        var shares = Enumerable.Range(0, parts).Select(p => reader.VerifyShards(p, parts)).ToList();
        Assert.Equal(all.Count, shares.Sum(s => s.Checked)); // the ranks' shares cover every shard once
        Assert.Empty(shares[0].Damaged);
        var damaged = Assert.Single(shares[1].Damaged);
        Assert.Equal(Path.Combine(corpus, all[victim].File), damaged.Path);
        Assert.Contains("SHA-256", damaged.What);
        var e = Assert.Throws<CorruptShardException>(shares[1].ThrowIfDamaged);
        Assert.Contains(all[victim].File.Replace('/', Path.DirectorySeparatorChar), e.Message);
        Assert.True(Geneformer.Common.CliErrors.IsUserError(e));
    }

    [Fact]
    public void A_truncated_shard_is_refused_when_its_split_opens()
    {
        using var tmp = new TempDir();
        var (corpus, manifest) = Build(tmp);
        var shard = manifest.Shards["train"][0];
        var path = Path.Combine(corpus, shard.File);
        var bytes = File.ReadAllBytes(path);
        // A partial copy: the size is checked before any Arrow structure is read.
        File.WriteAllBytes(path, [.. bytes.AsSpan(0, bytes.Length - 64)]);

        using var reader = CorpusReader.Open(corpus);
        var e = Assert.Throws<CorruptShardException>(() => reader.Split("train"));
        Assert.Equal(path, e.Path);
        Assert.Contains($"{bytes.Length - 64} bytes, but the manifest records {bytes.Length}", e.Message);
    }

    [Fact]
    public void A_corpus_whose_manifest_records_no_checksums_still_reads_and_says_so()
    {
        using var tmp = new TempDir();
        var (corpus, manifest) = Build(tmp);
        var path = Path.Combine(corpus, CorpusManifest.FileName);
        var old = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var split in old["shards"]!.AsObject())
            foreach (var s in split.Value!.AsArray()) { s!.AsObject().Remove("bytes"); s.AsObject().Remove("sha256"); }
        File.WriteAllText(path, old.ToJsonString());

        using var reader = CorpusReader.Open(corpus);
        Assert.Equal(manifest.Counts["train"], reader.Split("train").Count);
        var verified = reader.VerifyShards();
        Assert.Equal((0, manifest.Shards.Values.Sum(s => s.Count)), (verified.Checked, verified.Unrecorded));
        Assert.Contains("re-run prepare", verified.Describe());
    }
}
