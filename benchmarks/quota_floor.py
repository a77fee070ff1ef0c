"""How close `gworkflow run --all` comes to the quota floor, and how many rate-limit answers
it gets on the way: prints the table for the issue note.

The quota floor is the least time any client could take for the work under per-user
quotas: each quota's requests divided by its rate, the largest of them (200 appends need
200 Docs writes, so at 60 writes a minute the floor is 200 s). The requests counted are
those the sandbox admitted during the run (GET /_sandbox/requests), so the floor is the
floor of the work this run really did.

The sandbox enforces Google's per-user quotas ten times faster (a 6 s window with the same
counts: Docs 300 reads and 60 writes, Calendar 600, Drive 12,000), and the config's [limits]
match them (per minute: ten times the counts). For 20 and 200 series, each with a doc and
no event yet, it times two runs of `gworkflow run --all` inside the agenda window, each in
its own process as cron would start it: the first (every event to create, every section to
append) and the second (nothing to do), one window apart. Then the same with pacing off
([limits] far above the quotas), for the count of rate-limit answers. Sections written are
counted on the docs' JSON: each doc must hold exactly one for the meeting.

    python benchmarks/quota_floor.py [--series 20,200] [--no-unpaced]

It needs a sandbox with per-user quotas (POST/GET /_sandbox/quotas) and stops with a
message when the sandbox has none.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The programme helpers and the witnesses live in tests/support (imported as the tests do).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support import witness
from support.programme import blank_docs, programme_config
from support.scenarios import IN_WINDOW, MEETING

from gworkflow.sandbox.server import Sandbox

ROOT = Path(__file__).resolve().parent.parent
SCALE = 10
WINDOW_SECONDS = 60 / SCALE
QUOTAS = {"docs_read": 300, "docs_write": 60, "calendar": 600, "drive": 12_000}
# At Google's pace (a write a second) the default 4 workers keep the writes busy; ten times
# faster, a series' reads and calendar calls take as long as before, so more series must be
# in flight: 8 keep the write slots filled here.
WORKERS = 8


def limits(paced: bool, workers: int) -> dict[str, int]:
    """The [limits] table: the quotas per minute (ten times the counts per 6 s), or far
    above them (pacing off)."""
    if not paced:
        return {**{f"{q}_per_minute": 1_000_000 for q in QUOTAS}, "workers": workers}
    return {**{f"{q}_per_minute": n * SCALE for q, n in QUOTAS.items()}, "workers": workers}


class NoQuotas(Exception):
    """The sandbox has no /_sandbox/quotas."""


def admin(base_url: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(
        base_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            raw = answer.read()
    except urllib.error.HTTPError as error:
        if path == "/_sandbox/quotas" and error.code in (404, 405):
            raise NoQuotas from None
        raise
    return json.loads(raw) if raw else None


def quota_of(entry: dict[str, Any]) -> str | None:
    """The quota a logged API request counted against."""
    path = str(entry["path"])
    if path.startswith("/v1/documents"):
        return "docs_read" if entry["method"] == "GET" else "docs_write"
    if path.startswith("/calendar/v3/"):
        return "calendar"
    if path.startswith("/drive/v3/"):
        return "drive"
    return None


@dataclass(frozen=True)
class Run:
    series: int
    pacing: str
    which: str
    seconds: float
    floor: float
    bottleneck: str
    rate_limited: dict[str, int]
    sections: int
    once_each: bool
    failed: int
    exit_code: int

    def refusals(self) -> str:
        total = sum(self.rate_limited.values())
        if not total:
            return "0"
        return f"{total} (" + ", ".join(f"{q} {n}" for q, n in self.rate_limited.items()) + ")"

    def row(self) -> str:
        ratio = self.seconds / self.floor if self.floor else float("nan")
        once = "once each" if self.once_each else "NOT once each"
        return (
            f"| {self.series} | {self.pacing} | {self.which} | {self.seconds:.1f} "
            f"| {self.floor:.1f} ({self.bottleneck}) | {ratio:.2f}x | {self.refusals()} "
            f"| {self.sections} ({once}) | {self.failed} | {self.exit_code} |"
        )


def run_all(base_url: str, home: Path) -> tuple[float, int, list[Any]]:
    """`gworkflow run --all` in its own process, timed; (seconds, exit code, outcomes)."""
    env = _env(GWORKFLOW_HOME=str(home), GWORKFLOW_API_ENDPOINT=base_url)
    command = [sys.executable, "-m", "gworkflow", "--quiet", "run", "--all", "--json"]
    command += ["--now", IN_WINDOW.isoformat()]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    try:
        outcomes = json.loads(done.stdout)
    except ValueError:
        print(done.stdout, done.stderr, file=sys.stderr)
        raise
    return seconds, done.returncode, outcomes if isinstance(outcomes, list) else []


def measure(sb: Sandbox, series: int, paced: bool, workers: int, workdir: Path) -> list[Run]:
    base = sb.base_url
    admin(base, "POST", "/_sandbox/reset", {})
    admin(base, "POST", "/_sandbox/quotas", {"enabled": False})
    doc_ids = blank_docs(sb, series)
    home = workdir / f"{series}-{'paced' if paced else 'unpaced'}"
    home.mkdir()
    (home / "config.toml").write_text(programme_config(doc_ids, limits(paced, workers)))
    admin(
        base,
        "POST",
        "/_sandbox/quotas",
        {"enabled": True, "window_seconds": WINDOW_SECONDS, **QUOTAS},
    )
    runs = []
    for which in ("first", "second"):
        admin(base, "DELETE", "/_sandbox/requests")
        before = admin(base, "GET", "/_sandbox/quotas")["refused"]
        seconds, exit_code, outcomes = run_all(base, home)
        after = admin(base, "GET", "/_sandbox/quotas")["refused"]
        refused = {q: after[q] - before.get(q, 0) for q in after if after[q] - before.get(q, 0)}
        admitted = dict.fromkeys(QUOTAS, 0)
        for entry in admin(base, "GET", "/_sandbox/requests"):
            quota = quota_of(entry)
            # Refused over quota: 429 (Docs; Calendar and Drive may) or 403 (Calendar, Drive).
            if quota is not None and entry["status"] not in (403, 429):
                admitted[quota] += 1
        floors = {q: admitted[q] / QUOTAS[q] * WINDOW_SECONDS for q in QUOTAS}
        bottleneck = max(floors, key=lambda q: floors[q])
        counts = [
            witness.marker_count(sb.docs.get(d, True), f"pair-{i + 1:03d}", MEETING)
            for i, d in enumerate(doc_ids)
        ]
        runs.append(
            Run(
                series,
                "on" if paced else "off",
                which,
                seconds,
                floors[bottleneck],
                bottleneck,
                refused,
                sum(counts),
                all(count == 1 for count in counts),
                sum(1 for outcome in outcomes if outcome.get("action") == "failed"),
                exit_code,
            )
        )
        time.sleep(WINDOW_SECONDS)  # the second run starts with a fresh window, as a day later
    return runs


def startup() -> float:
    """Seconds to start gworkflow in a new process and import what `run` imports."""
    code = "import gworkflow.cli.run_cmd, gworkflow.google.clients, gworkflow.runner"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=_env())
    return time.perf_counter() - started


def _env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", default="20,200", help="roster sizes, comma-separated")
    parser.add_argument("--no-unpaced", action="store_true", help="skip the runs without pacing")
    parser.add_argument("--workers", type=int, default=WORKERS, help="[limits] workers")
    args = parser.parse_args()
    sizes = [int(size) for size in args.series.split(",") if size.strip()]
    print(
        f"Sandbox quotas per {WINDOW_SECONDS:g} s window (Google's per minute, {SCALE}x faster): "
        + ", ".join(f"{q} {n}" for q, n in QUOTAS.items())
        + f"; [limits] to match, workers = {args.workers}. Times include starting the "
        f"process (`gworkflow --version` takes {startup():.1f} s here)."
    )
    print()
    print(
        "| series | pacing | run | time (s) | quota floor (s) | time / floor "
        "| rate-limit answers | sections written | failed series | exit |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    with Sandbox() as sb, tempfile.TemporaryDirectory() as tmp:
        try:
            admin(sb.base_url, "GET", "/_sandbox/quotas")
        except NoQuotas:
            sys.exit(
                "quota_floor: this sandbox has no per-user quotas (GET /_sandbox/quotas answered "
                "404): it needs the sandbox's quota support (gworkflow/sandbox/quotas.py)"
            )
        for size in sizes:
            for paced in (True, False) if not args.no_unpaced else (True,):
                for run in measure(sb, size, paced, args.workers, Path(tmp)):
                    print(run.row(), flush=True)


if __name__ == "__main__":
    main()
