"""Run one Python command and record what it cost (for benchmarks/bench_scale.py).

``make report PY="PYTHON benchmarks/scale_probe.py"`` runs every step of the pipeline (the rules,
the input check, each stage's notebook) through this file: it starts ``PYTHON ARGS...`` as a child,
samples the resident memory of the child and all its descendants (the notebook's kernel included)
every 50 ms, and appends one JSON line to the file ``$SCALE_PROBE_LOG``: the arguments, wall
seconds, CPU seconds of the child and its descendants, and the peak of their summed memory (MB).
The child's exit status is passed on.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
import time

import psutil


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):  # ended between the listing and the reading
            total += p.memory_info().rss
    return total


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, *argv])
    peak = [0]

    def sample() -> None:
        try:
            proc = psutil.Process(child.pid)
            while child.poll() is None:
                peak[0] = max(peak[0], tree_rss(proc))
                time.sleep(0.05)
        except psutil.Error:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = child.wait()
    wall = time.perf_counter() - start
    sampler.join(1)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = os.environ.get("SCALE_PROBE_LOG")
    if log:
        entry = {
            "argv": argv,
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mb": max(peak[0] / 2**20, usage.ru_maxrss / 1024),
            "code": code,
        }
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
