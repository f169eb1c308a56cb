"""How long hostile inputs take to be refused, at growing sizes (issue 14: parsers linear).

    .venv/bin/python benchmarks/bench_hostile.py

For each attack the input grows tenfold per row; a linear check shows the time growing about
tenfold (or less), a quadratic one a hundredfold. Not part of ``make test`` (timings are not
tests); the tests in tests/security/ check that each attack is refused.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from revalign.coding.segments import parse_segments_csv
from revalign.core.errors import InputError
from revalign.core.yamlio import load_yaml


def timed(fn, *args) -> float:
    t = time.perf_counter()
    with contextlib.suppress(InputError):
        fn(*args)
    return time.perf_counter() - t


def main() -> None:
    d = Path(tempfile.mkdtemp())
    cols = "segment_id,ref_key,locator,theme,dimension,polarity,facet,context,excerpt,coder"
    print("attack                              size        seconds")
    for n in (10_000, 100_000, 1_000_000):
        p = d / f"wide{n}.csv"
        p.write_text(cols + ",excerpt" * n + "\n", encoding="utf-8")
        print(f"segments header, repeated column  {n:>9,}  {timed(parse_segments_csv, p):10.3f}")
    for levels in (6, 9, 12, 15):
        lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
        lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels)]
        p = d / f"bomb{levels}.yml"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"YAML alias bomb, 9**{levels:<2} values      {p.stat().st_size:>9,}B {timed(load_yaml, p):10.3f}")
    for n in (1_000, 10_000, 100_000):
        p = d / f"long{n}.yml"
        p.write_text("items:\n" + "".join(f"  - value {i}\n" for i in range(n)), encoding="utf-8")
        print(f"YAML list (allowed up to 100,000)  {n:>9,}  {timed(load_yaml, p):10.3f}")


if __name__ == "__main__":
    main()
