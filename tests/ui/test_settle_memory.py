"""The desk puts its start-up objects out of the cyclic collector's reach once the window is up."""

from __future__ import annotations

import gc
import inspect


def test_settle_memory_freezes_what_is_alive_and_run_desk_calls_it_after_show() -> None:
    from window_desk.ui import app

    before = gc.get_freeze_count()
    try:
        app.settle_memory()
        frozen = gc.get_freeze_count()
        assert frozen > before
        assert len(gc.get_objects()) < frozen  # a full collection now walks a fraction of what is alive
    finally:
        gc.unfreeze()  # the rest of the suite collects as usual
    source = inspect.getsource(app.run_desk)
    assert source.index("window.show()") < source.index("settle_memory()") < source.index("app.exec()")
