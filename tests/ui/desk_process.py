"""The start of a desk run in a child process for the kill tests: Qt, the database (argv[1]), the user
(argv[2], password argv[3]) logged in, the main window shown, and ``pump(seconds)`` to run its events.
A test's script is ``DESK_PRELUDE`` followed by what the desk then does."""

from __future__ import annotations

import textwrap

DESK_PRELUDE = textwrap.dedent('''
    import sys, time
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from window_desk.actor import Actor
    from window_desk.db.engine import open_database
    from window_desk.services import drafts, users
    from window_desk.ui.app import build_main_window, make_application
    from window_desk.ui.tasks import TaskRunner
    from window_desk.uow import UnitOfWork

    app = make_application([])
    db = open_database(sys.argv[1])
    with UnitOfWork(db, Actor.cli()) as uow:
        user = users.authenticate(uow, sys.argv[2], sys.argv[3])
    tasks = TaskRunner(on_unhandled_error=lambda exc, trace: print(trace, file=sys.stderr, flush=True))
    win = build_main_window(db, user, tasks)
    win.show()
    win.activateWindow()

    def pump(seconds, step=0.005):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(step)
''')
