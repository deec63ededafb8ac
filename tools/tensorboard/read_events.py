#!/usr/bin/python3
"""Reads a folder of TensorBoard event files without TensorBoard: checks each record's TFRecord framing and CRC-32C
checksums, decodes the tensorboard.Event protobufs, and applies TensorBoard's purge rule (a SessionLog START at step
N drops the events at step N and later that earlier records hold). Prints one JSON object: per tag the scalar points
[step, value] and the text points [step, text] TensorBoard would show, and how many files and records it read.
Exits 1 when a checksum fails or a record is cut short.

  read_events.py TENSORBOARD_DIR
"""
import glob
import json
import os
import struct
import sys


def crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


TABLE = crc32c_table()


def masked_crc(data):
    c = 0xFFFFFFFF
    for b in data:
        c = TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    c ^= 0xFFFFFFFF
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def fields(buf):
    """(field number, wire type, value) of a protobuf message: ints for varints, bytes for the rest."""
    i = 0
    while i < len(buf):
        key, i = varint(buf, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = varint(buf, i)
        elif wire == 1:
            value, i = buf[i:i + 8], i + 8
        elif wire == 2:
            n, i = varint(buf, i)
            value, i = buf[i:i + n], i + n
        elif wire == 5:
            value, i = buf[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return result, i


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    i = 0
    while i < len(data):
        if i + 12 > len(data):
            raise ValueError(f"{path}: a record's header is cut short at byte {i}")
        header = data[i:i + 8]
        (n,) = struct.unpack("<Q", header)
        (header_crc,) = struct.unpack("<I", data[i + 8:i + 12])
        if masked_crc(header) != header_crc:
            raise ValueError(f"{path}: the length at byte {i} fails its CRC")
        body = data[i + 12:i + 12 + n]
        if len(body) != n or i + 16 + n > len(data):
            raise ValueError(f"{path}: the record at byte {i} is cut short")
        (body_crc,) = struct.unpack("<I", data[i + 12 + n:i + 16 + n])
        if masked_crc(body) != body_crc:
            raise ValueError(f"{path}: the record at byte {i} fails its CRC")
        yield body
        i += 16 + n


def event(body):
    e = {"step": 0, "values": [], "start": False}
    for number, _, value in fields(body):
        if number == 2:
            e["step"] = value if value < 1 << 63 else value - (1 << 64)
        elif number == 5:
            for n, _, v in fields(value):
                if n == 1:
                    e["values"].append(summary_value(v))
        elif number == 7:
            e["start"] = any(n == 1 and v == 1 for n, _, v in fields(value))
    return e


def summary_value(buf):
    out = {"tag": None, "scalar": None, "text": None}
    for number, _, value in fields(buf):
        if number == 1:
            out["tag"] = value.decode()
        elif number == 2:
            out["scalar"] = struct.unpack("<f", value)[0]
        elif number == 8:
            strings = [v.decode() for n, _, v in fields(value) if n == 8]
            out["text"] = strings[0] if strings else ""
    return out


def main():
    folder = sys.argv[1]
    files = sorted(glob.glob(os.path.join(folder, "events.out.tfevents.*")))
    scalars, texts, count = {}, {}, 0
    try:
        for path in files:
            for body in records(path):
                count += 1
                e = event(body)
                if e["start"]:
                    for series in list(scalars.values()) + list(texts.values()):
                        series[:] = [p for p in series if p[0] < e["step"]]
                for v in e["values"]:
                    if v["scalar"] is not None:
                        scalars.setdefault(v["tag"], []).append([e["step"], v["scalar"]])
                    elif v["text"] is not None:
                        texts.setdefault(v["tag"], []).append([e["step"], v["text"]])
    except ValueError as error:
        sys.exit(str(error))
    print(json.dumps({"files": len(files), "records": count, "scalars": scalars, "texts": texts}))


if __name__ == "__main__":
    main()
