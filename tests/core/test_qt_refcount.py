"""Guard: the installed Qt binding must not leak references on calls that return nothing.

PySide6 6.12.0 on Python < 3.12 drops one reference to ``None`` on every void Qt call
(``QLabel.setText``, ``QWidget.update``, ``processEvents``), and the interpreter aborts with
``none_dealloc`` after a few thousand. On Python 3.12+ ``None`` is immortal and its count never
moves, so the test is meaningful only below 3.12, but it runs everywhere: a leak of another
object would show the same way in a future release.
"""

from __future__ import annotations

import sys

CALLS = 10_000
BATCH = 250
TOLERANCE = 50  # a few references come and go with caches; a leak is one per call


def test_void_qt_calls_keep_the_reference_count_of_none(qapp) -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    # In batches, so a leaking binding fails here before it drives None's count to zero
    # and aborts the interpreter (None starts with only a few thousand references).
    for batch in range(CALLS // BATCH):
        for i in range(BATCH):
            label.setText("第" if i % 2 else "页")
            label.update()
        QApplication.processEvents()
        moved = sys.getrefcount(None) - before
        assert abs(moved) <= TOLERANCE, (
            f"None's reference count moved by {moved} over {(batch + 1) * BATCH} void Qt calls: "
            "the installed PySide6 leaks references (see pyproject.toml)"
        )
    label.deleteLater()
