"""How big and how fast generated districts are.

    python bench/district_size.py                  # 50, 50 000 and 1 000 000 people
    python bench/district_size.py 1000000          # one size
    python bench/district_size.py 50000 --trace    # also tracemalloc's peak (slower run)
    python bench/district_size.py 50000 --next-week

For each size: rows per table, wall time, the process's peak resident memory (ru_maxrss,
which only grows, so sizes are best measured one per process) and the frames' deep
memory_usage. With --trace, a second generation under tracemalloc gives the peak of the
memory Python allocated for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import sys
import time
import tracemalloc

from sis_pipeline.sandbox.district import District, generate_district, next_week

TODAY = dt.date(2026, 3, 2)
MB = 1024 * 1024


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


def _report(label: str, district: District, seconds: float) -> None:
    print(f"\n{label}: {district.people:,} people in {seconds:.2f} s")
    print(f"  peak resident memory so far: {_peak_rss_mb():,.0f} MB")
    total = 0.0
    for name, frame in district.tables.items():
        size = frame.memory_usage(deep=True).sum() / MB
        total += size
        print(f"  {name:<26}{len(frame):>12,} rows {size:>10,.1f} MB")
    print(f"  {'all frames (deep)':<26}{'':>17}{total:>10,.1f} MB")


def _traced_peak_mb(people: int) -> float:
    gc.collect()
    tracemalloc.start()
    generate_district(people, today=TODAY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50, 50_000, 1_000_000])
    parser.add_argument("--trace", action="store_true", help="also measure with tracemalloc")
    parser.add_argument("--next-week", action="store_true", help="also time next_week")
    args = parser.parse_args()
    for people in args.sizes:
        started = time.perf_counter()
        district = generate_district(people, today=TODAY)
        _report("generate_district", district, time.perf_counter() - started)
        if args.next_week:
            started = time.perf_counter()
            later = next_week(district)
            _report("next_week", later, time.perf_counter() - started)
            del later
        del district
        if args.trace:
            print(f"  tracemalloc peak of one generation: {_traced_peak_mb(people):,.0f} MB")


if __name__ == "__main__":
    main()
