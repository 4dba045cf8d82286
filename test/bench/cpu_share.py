#!/usr/bin/env python3
"""Share of a server backend's CPU time spent in an extension's code, from `perf script`
call stacks (cpu-clock samples with DWARF call graphs).

A sample is the extension's when, walking its stack from the leaf towards the root, a frame of
the extension's shared library (or of server work only the extension causes: the query jumble,
instrumentation) comes before any frame of the server work the extension's hooks merely pass
through (standard_ExecutorRun, standard_planner, ...). The backends are the server processes
with at least 5% of the samples (pgbench's connections); other processes are ignored.

Usage: perf script -i perf.data -F comm,pid,ip,sym,dso | cpu_share.py LIBRARY
Prints: samples_backends samples_extension share_percent, then the extension's top frames.
"""
import collections
import signal
import sys

signal.signal(signal.SIGPIPE, signal.SIG_DFL)

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
            pid = (parts[0], parts[1]) if len(parts) > 1 else None
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
    for comm_pid, frames in stacks(sys.stdin):
        comm, pid = comm_pid
        if comm != "postgres":
            continue
        per_pid[pid] += 1
        for sym, dso in frames:
            if sym in PASS_THROUGH:
                break
            if dso.endswith("/" + library) or sym in CAUSED:
                ours[pid] += 1
                top[pid][sym] += 1
                break
    everything = sum(per_pid.values())
    backends = [pid for pid, n in per_pid.items() if n >= 0.05 * everything]
    total = sum(per_pid[pid] for pid in backends)
    if total == 0:
        print("0 0 0.00")
        return
    mine = sum(ours[pid] for pid in backends)
    print(f"{total} {mine} {100.0 * mine / total:.2f}")
    frames = collections.Counter()
    for pid in backends:
        frames.update(top[pid])
    for sym, n in frames.most_common(8):
        print(f"#   {100.0 * n / total:5.2f}%  {sym}")


main()
