"""Where the store's load of a batch spends its time: per repository step and per SQL statement.

Takes a database a nightly run left (e.g. `bench/scale.py --n 1000 --keep`, then its work directory), decides
the pages of `--sample` stored articles again from their raw HTML on a copy of it (as `bench/scale.py` does for
its load-rate figure), and times the store's batch load of them, with every statement the load's transaction
runs timed on its own (the connection is wrapped; nothing in the pipeline changes). Prints the steps of
`Store.load` with their share of the load, then the slowest statements.

    uv run python bench/load_breakdown.py /tmp/newsmon-scale-1000-xxxx            # 1,000 articles
    uv run python bench/load_breakdown.py /tmp/newsmon-scale-1000-xxxx --sample 100 --top 30
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402

STEPS = (  # (module, function) of the repository calls Store.load makes
    ("tasks.repos.articles", "write"),
    ("tasks.repos.dedupe", "write"),
    ("tasks.repos.stories", "write"),
    ("tasks.repos.dates", "save"),
    ("tasks.repos.templates", "record_pages"),
    ("tasks.repos.frontier", "set_outcomes"),
    ("tasks.repos.languages", "write"),  # before its columns were written with the article row
)


class TimedConnection:
    """A DuckDB connection whose `execute` calls are timed by statement shape (literals folded)."""

    def __init__(self, con, times: dict):
        self._con, self._times = con, times

    def execute(self, sql, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self._con.execute(sql, *args, **kwargs)
        finally:
            shape = re.sub(r"_batch_\d+", "_batch", re.sub(r"'[^']*'", "'?'", " ".join(sql.split())))
            self._times[shape[:110]].append(time.perf_counter() - started)

    def __getattr__(self, name):
        return getattr(self._con, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "workdir", help="a work directory bench/scale.py --keep left (newsmon.toml, news.duckdb)"
    )
    parser.add_argument("--sample", type=int, default=1000, help="articles to load again")
    parser.add_argument("--top", type=int, default=20, help="statements to list")
    parser.add_argument("--profile", action="store_true", help="also print the load's cProfile (by own time)")
    args = parser.parse_args()
    work = Path(args.workdir)

    import importlib

    from tasks import clock

    store, outcomes, urls, _, _ = scale.prepare_load(work / "newsmon.toml", work / "news.duckdb", args.sample)
    statements: dict[str, list[float]] = defaultdict(list)
    steps: dict[str, float] = defaultdict(float)
    plain_connect = store.connect

    @contextmanager
    def timed_connect(read_only: bool = False):
        with plain_connect(read_only) as con:
            yield TimedConnection(con, statements)

    def timed(name, fn):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            started = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                steps[name] += time.perf_counter() - started

        return wrapper

    originals = []
    for module_name, fn_name in STEPS:
        module = importlib.import_module(module_name)
        if not hasattr(module, fn_name):
            continue
        originals.append((module, fn_name, getattr(module, fn_name)))
        setattr(
            module, fn_name, timed(f"{module_name.rsplit('.', 1)[1]}.{fn_name}", getattr(module, fn_name))
        )
    store.connect = timed_connect
    try:
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        with store.session():
            if profiler:
                profiler.enable()
            started = time.perf_counter()
            store.load(outcomes, "bench-load", clock.now())
            total = time.perf_counter() - started
            if profiler:
                profiler.disable()
    finally:
        store.connect = plain_connect
        for module, fn_name, fn in originals:
            setattr(module, fn_name, fn)
    store.path.unlink(missing_ok=True)

    in_sql = sum(sum(v) for v in statements.values())
    print(
        f"load of {len(outcomes):,} outcomes ({len(urls):,} articles' pages): {total:.3f} s, "
        f"{in_sql:.3f} s in {sum(map(len, statements.values()))} statements"
    )
    print("\nstep (nested: stories.write runs inside dedupe.write)        s   share")
    for name, seconds in sorted(steps.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<56} {seconds:7.3f}  {seconds / total:5.1%}")
    print(
        f"\nslowest statements (of {len(statements)} shapes)                                         n      s"
    )
    for shape, times in sorted(statements.items(), key=lambda kv: -sum(kv[1]))[: args.top]:
        print(f"  {shape:<110} {len(times):3d} {sum(times):7.3f}")
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
