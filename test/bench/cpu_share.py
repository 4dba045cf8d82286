#!/usr/bin/env python3
"""Share of a server backend's CPU time spent in an extension's code, from `perf script`
call stacks (cpu-clock samples with DWARF call graphs).

A sample is the extension's when, walking its stack from the leaf towards the root, a frame of
the extension's shared library (or of server work only the extension causes: the query jumble,
instrumentation) comes before any frame of the server work the extension's hooks merely pass
through (standard_ExecutorRun, standard_planner, ...). Samples of other processes are ignored; the
backend is the process with the most samples.

Usage: perf script -i perf.data -F comm,pid,ip,sym,dso | cpu_share.py LIBRARY
Prints: samples_backend samples_extension share_percent (and the top extension frames).
"""
import collections
import sys

PASS_THROUGH = {
    "standard_ExecutorStart", "standard_ExecutorRun", "standard_ExecutorFinish",
    "standard_ExecutorEnd", "standard_planner", "standard_ProcessUtility",
}
# Server work done only because an extension asked for it: the query jumble (query ids) and
# instrumentation (query-level totals, sampled per-node counts). No statement of pgbench's
# workload needs either without an extension.
CAUSED = {"JumbleQuery", "InstrAlloc", "InstrInit", "InstrStartNode", "InstrStopNode",
          "InstrEndLoop", "InstrAggNode", "BufferUsageAccumDiff", "WalUsageAccumDiff"}


def stacks(stream):
    pid, frames = None, []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if pid is not None:
                yield pid, frames
            pid, frames = None, []
            continue
        if not line.startswith((" ", "\t")):
            parts = line.split()
            pid = parts[1] if len(parts) > 1 else None
            frames = []
            continue
        text = line.strip()
        # "addr sym+off (dso)"
        dso = text[text.rfind("(") + 1:-1] if text.endswith(")") else ""
        body = text.split(" ", 1)[1] if " " in text else ""
        sym = body.rsplit(" (", 1)[0]
        sym = sym.split("+0x")[0]
        frames.append((sym, dso))
    if pid is not None:
        yield pid, frames


def main():
    library = sys.argv[1]
    per_pid = collections.Counter()
    ours = collections.Counter()
    top = collections.defaultdict(collections.Counter)
    for pid, frames in stacks(sys.stdin):
        per_pid[pid] += 1
        for sym, dso in frames:
            if sym in PASS_THROUGH:
                break
            if dso.endswith("/" + library) or sym in CAUSED:
                ours[pid] += 1
                top[pid][sym] += 1
                break
    if not per_pid:
        print("0 0 0.00")
        return
    backend, total = per_pid.most_common(1)[0]
    share = 100.0 * ours[backend] / total
    print(f"{total} {ours[backend]} {share:.2f}")
    for sym, n in top[backend].most_common(8):
        print(f"#   {100.0 * n / total:5.2f}%  {sym}")


main()
