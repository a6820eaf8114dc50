"""The register at county scale: searches, first page, scrolling, desk start and memory on a big database.

Each service figure stands next to the raw-SQLite floor for the same question (the same rows asked of
the same indexes with the sqlite3 module, no ORM, no Python rows), in the same run.

    .venv/bin/python benchmarks/bench_register.py --db /work/bench-1m.sqlite3
        [--build 1000000]   # make the database first with `window-desk demo-data` if it does not exist

Targets (issue 10): exact ID ≤ 5 ms; name or initials ≤ 50 ms; first register page painted ≤ 100 ms;
no event-loop stall > 50 ms while scrolling 10,000 rows; desk start ≤ 1 s; resident memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

GUI_CHILD = r"""
import json, os, resource, sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtTest import QTest
from window_desk.ui.app import make_application, build_main_window
from window_desk.ui.tasks import TaskRunner
from window_desk.ui.login import LoginDialog
from window_desk.db.engine import open_database
from window_desk.uow import UnitOfWork
from window_desk.actor import Actor
from window_desk.services import users

app = make_application([])
tasks = TaskRunner(on_unhandled_error=lambda e, t: print(e, file=sys.stderr))
db = open_database(os.environ["BENCH_DB"])
dialog = LoginDialog(db, tasks)
dialog.show()
app.processEvents()
t_login = time.time() - t0
a = time.perf_counter()
with UnitOfWork(db, Actor(label="bench", role="")) as uow:
    user = users.authenticate(uow, "bench", "bench-password-1")
t_auth = time.perf_counter() - a
b = time.perf_counter()
dialog.accept()
window = build_main_window(db, user, tasks)
window.resize(1400, 900)
window.show()
from window_desk.ui.app import settle_memory
settle_memory()  # as run_desk does after the window is shown
app.processEvents()
t_main = time.perf_counter() - b

# First register page: the shortcut pressed → rows arrived and painted.
c = time.perf_counter()
QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
page = window.current_page
model = page.model
while model.rowCount() == 0:
    app.processEvents()
page.view.viewport().repaint()
t_first = time.perf_counter() - c

# Scrolling 10,000 rows: a 5 ms heartbeat measures the longest the event loop was held.
gaps = []
clock = QElapsedTimer()
clock.start()
last = [clock.elapsed()]
slow = []
def beat():
    now = clock.elapsed()
    gaps.append(now - last[0])
    if now - last[0] > 50:
        slow.append((now - last[0], model.rowCount()))
    last[0] = now
timer = QTimer()
timer.setInterval(5)
timer.timeout.connect(beat)
timer.start()
# Baseline: the same heartbeat for 2 s with nothing to do (what the machine itself costs).
from PySide6.QtCore import QEventLoop
idle = QEventLoop()
QTimer.singleShot(2000, idle.quit)
idle.exec()
idle_gap = max(gaps)
gaps.clear()
slow.clear()
bar = page.view.verticalScrollBar()
# The clerk's scrolling: a page down every 16 ms (one frame), the event loop running as in the desk.
from PySide6.QtCore import QEventLoop
loop = QEventLoop()
def scroll():
    if model.rowCount() >= 10_000:
        loop.quit()
        return
    bar.setValue(bar.value() + bar.pageStep())
scroller = QTimer()
scroller.setInterval(16)
scroller.timeout.connect(scroll)
d = time.perf_counter()
scroller.start()
loop.exec()
t_scroll = time.perf_counter() - d
scroller.stop()
timer.stop()
tasks.wait_all()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"t_login": t_login, "t_auth": t_auth, "t_main": t_main, "t_first": t_first,
                  "t_scroll": t_scroll, "max_gap_ms": max(gaps), "beats": len(gaps), "rows": model.rowCount(),
                  "count": page.count.text(), "rss_mb": rss, "idle_gap_ms": idle_gap, "slow": slow[:10]}))
"""


SERVICE_CPU: list[float] = [0.0]
CPU: list[float] = [0.0]  # the CPU-time median of the last _time (the machine is shared: wall time waits for a core)


def _time(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    values, cpu = [], []
    for _ in range(runs):
        fn()  # first read of this person's pages (cold, from disk) is reported by _cold
    for _ in range(runs):
        a, c = time.perf_counter(), time.process_time()
        fn()
        values.append((time.perf_counter() - a) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    CPU[:] = [statistics.median(cpu)]
    return statistics.median(values), max(values)


def _time_once(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    values = []
    for _ in range(runs):
        a = time.perf_counter()
        fn()
        values.append((time.perf_counter() - a) * 1000)
    return statistics.median(values), max(values)


def _line(label: str, service: tuple[float, float], floor: tuple[float, float], target: float) -> str:
    ok = "ok" if service[0] <= target else "MISSED"
    return (f"{label:34s} service median {service[0]:7.2f} ms max {service[1]:7.2f} (CPU {SERVICE_CPU[0]:6.2f}) | raw SQLite median "
            f"{floor[0]:6.2f} ms max {floor[1]:6.2f} | target {target:g} ms {ok}")


def main() -> int:  # noqa: C901 - a script
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/work/bench-1m.sqlite3")
    parser.add_argument("--build", type=int, default=0, help="cases to make with demo-data if the file is missing")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--breakdown", action="store_true", help="bytes per case for each table and index (dbstat)")
    parser.add_argument("--no-desk", action="store_true", help="searches only, not the five desk processes")
    args = parser.parse_args()
    path = Path(args.db)
    url = f"sqlite:///{path}"
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("WINDOW_DESK_HOME", str(path.parent / "bench-home"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not path.exists():
        if not args.build:
            print(f"{path} does not exist; pass --build N", file=sys.stderr)
            return 2
        a = time.perf_counter()
        subprocess.run([sys.executable, "-m", "window_desk", "--db", url, "demo-data", "--cases", str(args.build),
                        "--days", "365", "--seed", str(args.seed)], env=env, check=True)
        print(f"demo-data --cases {args.build}: {time.perf_counter() - a:.0f} s")

    os.environ.update(WINDOW_DESK_HOME=env["WINDOW_DESK_HOME"])
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.services import register, users
    from window_desk.uow import UnitOfWork

    db = open_database(url)
    raw = sqlite3.connect(str(path))
    n_cases = raw.execute("SELECT max(id) FROM cases").fetchone()[0]
    n_persons = raw.execute("SELECT max(id) FROM persons").fetchone()[0]
    size = path.stat().st_size
    print(f"database: {n_cases:,} cases, {n_persons:,} persons, {size / 1e6:,.0f} MB = {size / n_cases:,.0f} bytes per case")
    if args.breakdown:  # reads every page: minutes on a million cases
        for name, per_case in raw.execute(
                "SELECT name, sum(pgsize) * 1.0 / ? FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 30", (n_cases,)):
            print(f"    {name:34s} {per_case:7.0f} bytes per case")
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    rng = random.Random(args.seed)
    people = [raw.execute("SELECT id_number, name, name_initials FROM persons WHERE id = ?",
                          (rng.randrange(1, n_persons + 1),)).fetchone() for _ in range(args.runs)]
    actor = Actor.cli()

    def service(flt_for):  # type: ignore[no-untyped-def]
        it = iter(people * 4)

        def run() -> None:
            p = next(it)
            with UnitOfWork(db, actor, write=False) as uow:
                register.find_cases(uow, flt_for(p), limit=200)
        return run

    def service_count(flt_for):  # type: ignore[no-untyped-def]
        it = iter(people * 4)

        def run() -> None:
            p = next(it)
            with UnitOfWork(db, actor, write=False) as uow:
                register.count_cases(uow, flt_for(p))
        return run

    def floor(sql: str, arg_for):  # type: ignore[no-untyped-def]
        it = iter(people * 4)

        def run() -> None:
            raw.execute(sql, arg_for(next(it))).fetchall()
        return run

    def upper(prefix: str) -> str:
        return prefix[:-1] + chr(ord(prefix[-1]) + 1)

    base = ("SELECT c.id, c.number, c.application_date, c.status, c.tier, c.deadline FROM cases c "
            "WHERE c.household_id IN (SELECT m.household_id FROM persons p JOIN members m ON m.person_id = p.id "
            "WHERE {cond}) ORDER BY c.application_date DESC, c.id DESC LIMIT 200")
    questions = [
        ("exact ID number", lambda p: register.CaseFilter(query=p[0]), base.format(cond="p.id_number = ?"),
         lambda p: (p[0],), 5),
        ("full name", lambda p: register.CaseFilter(query=p[1]), base.format(cond="p.name >= ? AND p.name < ?"),
         lambda p: (p[1], upper(p[1])), 50),
        ("name prefix (2 characters)", lambda p: register.CaseFilter(query=p[1][:2]),
         base.format(cond="p.name >= ? AND p.name < ?"), lambda p: (p[1][:2], upper(p[1][:2])), 50),
        ("pinyin initials (3 letters)", lambda p: register.CaseFilter(query=(p[2] + "xx")[:3]),
         base.format(cond="p.name_initials >= ? AND p.name_initials < ?"),
         lambda p: ((p[2] + "xx")[:3], upper((p[2] + "xx")[:3])), 50),
        ("surname only (dense: 1 character)", lambda p: register.CaseFilter(query=p[1][:1]),
         "SELECT case_id FROM case_name_keys WHERE name_first = ? ORDER BY application_date DESC, case_id DESC "
         "LIMIT 200", lambda p: (p[1][:1],), 50),
        ("name with no match", lambda p: register.CaseFilter(query="无此人" + p[1][:1]),
         base.format(cond="p.name >= ? AND p.name < ?"), lambda p: ("无此人" + p[1][:1], "无此人" + upper(p[1][:1])), 50),
    ]
    service(questions[0][1])()  # warm the caches once
    print(f"searches: {args.runs} people picked by random.Random({args.seed}); page of 200 rows (find_cases)")
    for label, flt_for, sql, arg_for, target in questions:
        cold = _time_once(service(flt_for), args.runs)
        timed = _time(service(flt_for), args.runs)
        SERVICE_CPU[:] = CPU
        print(_line(label, timed, _time(floor(sql, arg_for), args.runs), target))
        print(f"{'   first time (pages from disk)':34s} service median {cold[0]:7.2f} ms max {cold[1]:7.2f}")
        print(f"{'   its count (count_cases)':34s} service median {_time(service_count(flt_for), args.runs)[0]:7.2f} ms")
    listing = "SELECT id FROM cases ORDER BY application_date DESC, id DESC LIMIT 200"
    timed = _time(service(lambda p: register.CaseFilter()), args.runs)
    SERVICE_CPU[:] = CPU
    print(_line("register first page, no search", timed, _time(floor(listing, lambda p: ()), args.runs), 50))
    print(f"{'   its count (capped at 10,000)':34s} service median "
          f"{_time(service_count(lambda p: register.CaseFilter()), args.runs)[0]:7.2f} ms")
    by_due = "SELECT id FROM cases WHERE deadline IS NOT NULL ORDER BY deadline, id LIMIT 200"
    timed = _time(service(lambda p: register.CaseFilter(sort="deadline", descending=False)), args.runs)
    SERVICE_CPU[:] = CPU
    print(_line("sorted by due date", timed, _time(floor(by_due, lambda p: ()), args.runs), 50))

    from window_desk.services import referrals

    def chasing() -> None:
        with UnitOfWork(db, actor, write=False) as uow:
            referrals.by_department(uow, limit=200)
    timed = _time(chasing, 5)
    print(f"{'referrals.by_department (page of 200)':34s} service median {timed[0]:7.2f} ms max {timed[1]:7.2f} "
          f"(CPU {CPU[0]:.2f})")

    if args.no_desk:
        return 0
    with UnitOfWork(db, actor) as uow:
        if users.count_users(uow) == 0 or not any(u.username == "bench" for u in users.list_users(uow)):
            users.add_user(uow, "bench", "clerk" if users.count_users(uow) else "admin", "bench-password-1", "测试")
    db.dispose()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "src")],
                   env=env, check=True)
    env["BENCH_DB"] = url
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", GUI_CHILD, repr(time.time())], env=env, capture_output=True,
                             text=True)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            return 1
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if isinstance(runs[0][k], (int, float))}
    worst = {k: max(r[k] for r in runs) for k in med}
    print("desk (offscreen, 5 fresh processes, median / max):")
    print(f"    start → login dialog {med['t_login'] * 1000:7.1f} / {worst['t_login'] * 1000:7.1f} ms; "
          f"login → main window {med['t_main'] * 1000:6.1f} / {worst['t_main'] * 1000:6.1f} ms; "
          f"together {(med['t_login'] + med['t_main']) * 1000:7.1f} ms (target 1000; argon2 {med['t_auth'] * 1000:.0f} ms apart)")
    print(f"    Ctrl+3 → first register page painted {med['t_first'] * 1000:6.1f} / {worst['t_first'] * 1000:6.1f} ms "
          "(target 100)")
    print(f"    scrolling to 10,000 rows: {med['t_scroll']:.1f} s, longest event-loop stall {med['max_gap_ms']:.0f} / "
          f"{worst['max_gap_ms']:.0f} ms (target 50), {int(med['beats'])} heartbeats; count label: {runs[0]['count']}")
    print(f"    the same 5 ms heartbeat with nothing to do, 2 s: longest gap {med['idle_gap_ms']:.0f} / "
          f"{worst['idle_gap_ms']:.0f} ms (the machine's own stalls); stalls > 50 ms (ms, rows): {runs[0]['slow']}")
    print(f"    resident memory after 10,000 rows (max RSS) {med['rss_mb']:.0f} / {worst['rss_mb']:.0f} MB (target 300)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
