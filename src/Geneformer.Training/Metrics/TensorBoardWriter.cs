using System.Buffers.Binary;
using System.Numerics;
using Google.Protobuf;
using Tensorboard;

namespace Geneformer.Training.Metrics;

/// <summary>
/// A TensorBoard event file (<c>events.out.tfevents.*</c>): TFRecord framing around <c>tensorboard.Event</c> protobuf
/// records, built with the protobuf types TorchSharp ships. TorchSharp's own <c>SummaryWriter</c> is not used: it
/// records every event's wall time as 0, opens the file for each event, and has neither text summaries nor the purge
/// step that makes a resumed run continue its curves instead of drawing the lost steps twice.
/// </summary>
public sealed class TensorBoardWriter : IDisposable
{
    private static int uid;
    private readonly FileStream file;
    private DateTime lastFlush = DateTime.UtcNow;

    /// <summary>Where the events go; a new file for each writer, as TensorBoard expects.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens a new event file in <paramref name="dir"/>. With <paramref name="purgeFrom"/> (a resumed run's first step),
    /// TensorBoard drops the events at that step and later that earlier files hold: the steps a failed run logged
    /// past its last checkpoint, which this run trains again.
    /// </summary>
    public TensorBoardWriter(string dir, long? purgeFrom = null)
    {
        Directory.CreateDirectory(dir);
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Path = System.IO.Path.Combine(dir, $"events.out.tfevents.{seconds}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref uid)}");
        file = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        Write(new Event { FileVersion = "brain.Event:2", Step = purgeFrom ?? 0 });
        if (purgeFrom is { } step) Write(new Event { Step = step, SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start } });
        Flush();
    }

    public void AddScalars(long step, IEnumerable<(string Tag, double Value)> values)
    {
        var summary = new Summary();
        foreach (var (tag, value) in values) summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)value });
        if (summary.Value.Count > 0) Write(new Event { Step = step, Summary = summary });
        if (DateTime.UtcNow - lastFlush > TimeSpan.FromSeconds(10)) Flush(); // a live view lags by at most this
    }

    /// <summary>A text summary (TensorBoard's Text tab renders it as Markdown).</summary>
    public void AddText(long step, string tag, string markdown)
    {
        var value = new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = "text" } },
            Tensor = new TensorProto { Dtype = DataType.DtString, TensorShape = new TensorShapeProto(), StringVal = { ByteString.CopyFromUtf8(markdown) } },
        };
        Write(new Event { Step = step, Summary = new Summary { Value = { value } } });
    }

    public void Flush()
    {
        file.Flush(flushToDisk: false);
        lastFlush = DateTime.UtcNow;
    }

    /// <summary>One TFRecord: length, masked CRC-32C of the length, the record, masked CRC-32C of the record.</summary>
    private void Write(Event e)
    {
        e.WallTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var data = e.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        file.Write(header);
        file.Write(data);
        file.Write(footer);
    }

    /// <summary>TFRecord's checksum: CRC-32C (Castagnoli), rotated right by 15 bits plus a constant.</summary>
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        foreach (var b in data) crc = BitOperations.Crc32C(crc, b);
        crc = ~crc;
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }

    public void Dispose()
    {
        Flush();
        file.Dispose();
    }
}
