"""Shared helpers for the document tests: samples, rendering, poppler's tools."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import missing

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "resources" / "samples" / "forms"


def load_sample(kind: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{kind}.json").read_text(encoding="utf-8"))


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} is not installed (scripts/system-packages.sh --test installs poppler-utils)")
    return path


def pdftotext(pdf: Path, *args: str) -> str:
    return subprocess.run([need("pdftotext"), *args, str(pdf), "-"], capture_output=True, text=True,
                          encoding="utf-8", check=True).stdout


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    out = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    assert lines[0].startswith("name") and lines[1].startswith("---"), out
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object ID
        fonts.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5], "sub": parts[-4],
                      "uni": parts[-3]})
    return fonts


def squash(text: str) -> str:
    """Text with all white space (including U+3000 and line breaks) removed."""
    return "".join(text.split())
