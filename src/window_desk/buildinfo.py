"""Which build this is: the bundle's build stamp, or "源码" for a source checkout.

The installer build writes ``BUILD`` next to this module inside the bundle (version, date, commit,
platform); ``window-desk --version`` prints it, so a township can say exactly what it runs.
"""

from __future__ import annotations

from pathlib import Path

from window_desk import __version__


def build_stamp() -> str:
    stamp = Path(__file__).with_name("BUILD")
    try:
        return stamp.read_text(encoding="utf-8").strip()
    except OSError:
        return "源码"


def version_text() -> str:
    return f"window-desk {__version__}(构建:{build_stamp()})"
