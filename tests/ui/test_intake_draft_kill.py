"""Issue 14's crash trial: a desk in a subprocess types steadily (a key every 200 ms) into the intake
form and is killed (SIGKILL: no close, no flush) at a random moment; every key typed more than a second
before the kill is in the draft the next start offers. 20 trials, two desks at a time."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.ui.conftest import PASSWORD
from tests.ui.desk_process import DESK_PRELUDE
from window_desk.services import drafts
from window_desk.uow import UnitOfWork

TRIALS = 20
KEYS = "abcdefghijklmnopqrstuvwxyz" * 2

CHILD = DESK_PRELUDE + textwrap.dedent('''
    pump(0.5)
    QTest.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    pump(0.5)
    field = win.current_page.form.matter
    print("GO", flush=True)
    for n, letter in enumerate(sys.argv[4], start=1):
        QTest.keyClick(field, letter)
        print(f"K {time.monotonic():.4f} {n}", flush=True)
        pump(0.2)
    pump(600)
''')


def _start(db_url: str, username: str) -> subprocess.Popen[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen([sys.executable, "-c", CHILD, db_url, username, PASSWORD, KEYS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _wait_go(child: subprocess.Popen[str]) -> float:
    """Wait for the child's GO; the moment it said it."""
    assert child.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = child.stdout.readline()
        if line.strip() == "GO" or not line:
            break
    assert line.strip() == "GO", child.stderr.read() if child.stderr else ""
    return time.monotonic()


def _keys(child: subprocess.Popen[str]) -> list[tuple[float, int]]:
    assert child.stdout is not None
    keys = []
    for line in child.stdout.read().splitlines():
        if line.startswith("K "):
            _k, at, n = line.split()
            keys.append((float(at), int(n)))
    return keys


def _trials(
    children: list[subprocess.Popen[str]], afters: list[float]
) -> list[tuple[float, list[tuple[float, int]]]]:
    """Let each child type for its own time after its GO and kill it then: the kill moments and the keys
    typed. The desks type side by side, so a round costs its longest trial, not their sum."""
    kill_at = [_wait_go(child) + after for child, after in zip(children, afters)]
    killed_at = [0.0] * len(children)
    for i in sorted(range(len(children)), key=lambda i: kill_at[i]):
        time.sleep(max(0.0, kill_at[i] - time.monotonic()))
        killed_at[i] = time.monotonic()
        os.kill(children[i].pid, signal.SIGKILL)
    for child in children:
        child.wait(timeout=10)
    return [(at, _keys(child)) for at, child in zip(killed_at, children)]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_killed_while_typing_loses_nothing_older_than_a_second(db, db_url, admin) -> None:  # type: ignore[no-untyped-def]
    from window_desk.services import users

    clerks = []
    for name in ("kill_a", "kill_b"):  # two desks at a time, each its own draft
        with UnitOfWork(db, admin.actor()) as uow:
            clerks.append(users.add_user(uow, name, "clerk", PASSWORD))
    rng = random.Random(14)
    lost: list[str] = []
    for trial in range(0, TRIALS, 2):
        children = [_start(db_url, c.username) for c in clerks]
        try:
            results = _trials(children, [rng.uniform(0.3, 4.0) for _ in children])
        finally:
            for child in children:
                if child.poll() is None:
                    os.kill(child.pid, signal.SIGKILL)
                    child.wait(timeout=10)
        for clerk, (killed_at, keys) in zip(clerks, results):
            must_have = max([n for at, n in keys if at <= killed_at - 1.0], default=0)
            with UnitOfWork(db, clerk.actor()) as uow:
                found = drafts.load(uow, "intake")
                drafts.discard(uow, "intake")  # the next trial starts empty
            saved = found[0]["matter"] if found else ""
            assert KEYS.startswith(saved)
            if len(saved) < must_have:
                lost.append(f"trial {trial}: {must_have} keys older than 1 s, draft holds {len(saved)}")
    assert lost == []
