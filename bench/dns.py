"""Name resolution under a time limit: what the resolver thread costs a request, beside bare getaddrinfo.

Resolves the same names N times each (names the machine answers itself, from /etc/hosts or as literals, so no
network is used) with bare `socket.getaddrinfo` and with newsmon's `AddressGuard.resolve` (a resolver thread the
caller waits on, then the SSRF check of every address), and prints microseconds per lookup (best of 3 rounds).
Then a name whose resolver never answers, with a 0.2 s limit: the wait is the limit, and the lookups of that name
start one thread between them.

    uv run python bench/dns.py [--n 2000] [--json]
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.netguard import AddressGuard, Resolver, SSRFError  # noqa: E402

NAMES = ("localhost", "127.0.0.1", "::1")


def best_of(rounds: int, fn) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="lookups per name and round")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    guard = AddressGuard(("127.0.0.0/8", "::1/128"), dns_timeout=5.0)
    lookups = args.n * len(NAMES)

    def bare() -> None:
        for name in NAMES:
            for _ in range(args.n):
                socket.getaddrinfo(name, 80, type=socket.SOCK_STREAM)

    def guarded() -> None:
        for name in NAMES:
            for _ in range(args.n):
                guard.resolve(name, 80)

    out = {
        "lookups": lookups,
        "getaddrinfo_us": round(best_of(3, bare) / lookups * 1e6, 1),
        "guard_resolve_us": round(best_of(3, guarded) / lookups * 1e6, 1),
    }
    out["overhead_us"] = round(out["guard_resolve_us"] - out["getaddrinfo_us"], 1)

    release = threading.Event()
    calls = []

    def hanging(host, port, **kwargs):
        calls.append(host)
        release.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "no answer")

    stuck = AddressGuard(dns_timeout=0.2, resolver=Resolver(hanging))
    started = time.perf_counter()
    errors = []
    for _ in range(5):
        try:
            stuck.resolve("never.example", 80)
        except SSRFError as exc:
            errors.append(exc.reason)
    out["hanging_5_lookups_s"] = round(time.perf_counter() - started, 2)
    out["hanging_errors"] = sorted(set(errors))
    out["hanging_threads_started"] = len(calls)
    release.set()

    if args.json:
        print(json.dumps(out))
        return
    print(f"{lookups:,} lookups of {', '.join(NAMES)} (best of 3 rounds)")
    print(f"  bare socket.getaddrinfo        {out['getaddrinfo_us']:>8} us/lookup")
    print(f"  AddressGuard.resolve (thread)  {out['guard_resolve_us']:>8} us/lookup")
    print(f"  overhead                       {out['overhead_us']:>8} us/lookup")
    print(
        f"a resolver that never answers, limit 0.2 s: 5 lookups took {out['hanging_5_lookups_s']} s, "
        f"errors {out['hanging_errors']}, lookup threads started: {out['hanging_threads_started']}"
    )


if __name__ == "__main__":
    main()
