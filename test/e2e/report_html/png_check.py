"""Reads a PNG screenshot (stdlib only: zlib + the PNG filters) and prints
"<width> <height> <non-white pixel share> <distinct colours>" so a test can tell a rendered
page from a blank or broken one, then, for each colour given as an argument (#rrggbb), the
number of sampled pixels of exactly that colour (a chart's bars, say)."""
import struct
import sys
import zlib


def read_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit("not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise SystemExit(f"unsupported PNG (depth {depth}, colour type {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


width, height, channels, rows = read_png(sys.argv[1])
wanted = {bytes.fromhex(c.lstrip("#")): 0 for c in sys.argv[2:]}
colours, inked, total = set(), 0, 0
for row in rows[::4]:
    for x in range(0, width * channels, channels * 4):
        px = bytes(row[x:x + 3])
        colours.add(px)
        total += 1
        inked += px != b"\xff\xff\xff"
        if px in wanted:
            wanted[px] += 1
print(width, height, round(inked / max(total, 1), 4), len(colours), *wanted.values())
