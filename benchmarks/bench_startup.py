"""How long the desk takes to open, on an empty database.

Measures, in a fresh interpreter each time (as a clerk double-clicking the icon):
  t_login  process start → login dialog on screen (imports, QApplication, database
           opened and migrated, users counted);
  t_main   login accepted → main window on screen with its first page.
The argon2 password check itself (deliberately slow, ~0.1 s) is reported apart.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r"""
import time, json, os, sys
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
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
with UnitOfWork(db, Actor.cli(), write=False) as uow:
    empty = users.count_users(uow) == 0
if empty:
    from window_desk.ui.login import FirstAdminDialog
    first = FirstAdminDialog(db, tasks)
    first.show()
    app.processEvents()
    print(json.dumps({"t_first": time.time() - t0}))
    sys.exit(0)
dialog = LoginDialog(db, tasks)
dialog.show()
app.processEvents()
t_login = time.time() - t0
t1 = time.perf_counter()
with UnitOfWork(db, Actor(label="bench", role="")) as uow:
    user = users.authenticate(uow, "admin", "bench-password")
t_auth = time.perf_counter() - t1
t2 = time.perf_counter()
dialog.accept()
window = build_main_window(db, user, tasks)
window.show()
app.processEvents()
t_main = time.perf_counter() - t2
print(json.dumps({"t_login": t_login, "t_auth": t_auth, "t_main": t_main}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # An installed desk has its bytecode compiled (pip does it at install time); a sandbox that sets
    # PYTHONDONTWRITEBYTECODE would otherwise measure compiling every module from source on each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", os.path.dirname(os.path.dirname(__file__)) + "/src"],
                   env=env, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        env["BENCH_DB"] = url
        env["WINDOW_DESK_HOME"] = tmp
        subprocess.run([sys.executable, "-m", "window_desk", "--db", url, "user", "add", "admin", "--role", "admin",
                        "--password-stdin"], input="bench-password\n", text=True, env=env, check=True,
                       capture_output=True)
        rows = []
        for _ in range(args.runs):
            import time

            out = subprocess.run([sys.executable, "-c", CHILD, repr(time.time())], env=env, capture_output=True,
                                 text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for key, label in (("t_login", "start → login dialog"), ("t_auth", "password check (argon2)"),
                       ("t_main", "login → main window")):
        values = [r[key] * 1000 for r in rows]
        print(f"{label:28s} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms   (n={len(values)})")
    total = [(r["t_login"] + r["t_main"]) * 1000 for r in rows]
    print(f"{'open (excl. typing+argon2)':28s} median {statistics.median(total):7.1f} ms   max {max(total):7.1f} ms")
    first = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            import time

            env["BENCH_DB"] = f"sqlite:///{tmp}/fresh{i}.sqlite3"
            out = subprocess.run([sys.executable, "-c", CHILD, repr(time.time())], env=env, capture_output=True,
                                 text=True, check=True)
            first.append(json.loads(out.stdout.strip().splitlines()[-1])["t_first"] * 1000)
    print(f"{'no file yet → first-run dialog':28s} median {statistics.median(first):7.1f} ms   max {max(first):7.1f} ms"
          "   (creates the file and runs every migration)")


if __name__ == "__main__":
    main()
