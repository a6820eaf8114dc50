"""The field list of each kind, and what the PDF layout and the Word template make of it.

One list: the kind's shape in ``kinds.py`` (``shape_fields``: ``applicant.name``, ``members[].health``,
``review.anchor`` …, optional fields included). The Word templates are built against it —
``scripts/build_templates.py`` refuses to write a template that leaves a field out or names one the
shape does not have (``template_fields``) — and the PDF layouts read it (``layout_fields`` records
which fields a layout reads while it builds a document). ``tests/forms/test_fields.py`` holds the
three together: a field cannot be on one paper and not the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2 import nodes

from window_desk.forms.kinds import COUNTS, GUARDIAN, GUARDIAN_SHAPE, KINDS, ListOf

# What docx_render computes from the data, and the fields it comes from.
DERIVED: dict[str, tuple[str, ...]] = {
    "amount_figures": ("amount",),
    "amount_capitals": ("amount",),
    "income_total": ("members[].monthly_income",),
    "remedy_text": ("remedy",),
    "totals_items": ("totals",),
    "receipt_qr": ("number", "case_number"),
}
# Names a template may use that are not data: the context docx_render adds, Jinja's loop variable.
CONTEXT = frozenset({"reprint", "title", "kind", "loop"})


def _walk_shape(shape: Any, prefix: str) -> Iterable[str]:
    if isinstance(shape, ListOf):
        yield from _walk_shape(shape.item, prefix + "[]")
        return
    if isinstance(shape, dict):
        for key, sub in shape.items():
            name = key.rstrip("?")
            yield from _walk_shape(sub, f"{prefix}.{name}" if prefix else name)
        return
    if shape == GUARDIAN:  # a name, or {name, relation, id_number}: its parts are the fields
        for key in GUARDIAN_SHAPE:
            yield f"{prefix}.{key.rstrip('?')}"
        return
    yield prefix


def shape_fields(kind: str) -> frozenset[str]:
    """Every field of ``kind`` as a path (``members[].name``), the common ones and optional ones included."""
    return frozenset(_walk_shape(KINDS[kind].fields, ""))


def _containers(fields: Iterable[str]) -> set[str]:
    """Every path above a field: ``members``, ``members[]``, ``review``."""
    out = set()
    for path in fields:
        parts = re.split(r"(?=\.)|(?=\[\])", path)
        for i in range(1, len(parts)):
            out.add("".join(parts[:i]))
    return out


def covered(fields: frozenset[str], refs: Iterable[str]) -> tuple[set[str], set[str]]:
    """(fields no reference reaches, references that are no field). A derived value (``totals_items``)
    reaches the fields it is made from; a list of texts used whole (``requested|join``) its items; a
    container read for a test (``{% if m.guardian %}``) reaches nothing by itself."""
    reached: set[str] = set()
    unknown: set[str] = set()
    containers = _containers(fields)
    for ref in refs:
        root = re.split(r"[.\[]", ref)[0]
        if root in DERIVED:
            reached.update(DERIVED[root])
        elif ref in fields:
            reached.add(ref)
        elif ref + "[]" in fields:
            reached.add(ref + "[]")
        elif ref not in containers and root not in CONTEXT:
            unknown.add(ref)
    return set(fields) - reached, unknown


# -- the Word template -----------------------------------------------------------------------------

def _expr_path(node: nodes.Node, scope: dict[str, str]) -> str | None:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, node.name)
    if isinstance(node, nodes.Getattr):
        base = _expr_path(node.node, scope)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _expr_path(node.node, scope)
        return f"{base}.{node.arg.value}" if base else None
    return None


def _refs(node: nodes.Node, scope: dict[str, str], out: set[str]) -> None:
    if isinstance(node, nodes.For):
        _refs(node.iter, scope, out)
        source = _expr_path(node.iter, scope)
        inner = dict(scope)
        if source and isinstance(node.target, nodes.Name):
            inner[node.target.name] = source + "[]"
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            _refs(child, inner, out)
        return
    path = _expr_path(node, scope)
    if path is not None:
        out.add(path)
        return
    for child in node.iter_child_nodes():
        _refs(child, scope, out)


def template_fields(sources: Iterable[str]) -> set[str]:
    """The data paths the Jinja sources of a template use (``{{ m.name }}`` in ``{% for m in members %}``
    → ``members[].name``; ``{{ loop.index }}`` and the context names come back as they are)."""
    env = jinja2.Environment()
    out: set[str] = set()
    for source in sources:
        _refs(env.parse(source), {}, out)
    return out


def docx_sources(path: str) -> list[str]:
    """The Jinja text of a template's body, headers and footers, as docxtpl renders it."""
    import zipfile

    from docxtpl import DocxTemplate

    tpl = DocxTemplate(path)
    tpl.init_docx()
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
        return [tpl.patch_xml(z.read(n).decode("utf-8")) for n in names]


# -- the PDF layout --------------------------------------------------------------------------------

class _Recording(dict):  # type: ignore[type-arg]
    """A data object that notes the path of every field read from it."""

    def __init__(self, value: dict[str, Any], path: str, seen: set[str]) -> None:
        super().__init__(value)
        self._path = path
        self._seen = seen

    def _wrap(self, key: str, value: Any) -> Any:
        path = f"{self._path}.{key}" if self._path else key
        self._seen.add(path)
        return _wrap(value, path, self._seen)

    def __getitem__(self, key: str) -> Any:
        return self._wrap(key, super().__getitem__(key))

    def get(self, key: str, default: Any = None) -> Any:
        return self._wrap(key, super().get(key, default))


def _wrap(value: Any, path: str, seen: set[str]) -> Any:
    if isinstance(value, dict) and not isinstance(value, _Recording):
        return _Recording(value, path, seen)
    if isinstance(value, list):
        return [_wrap(v, path + "[]", seen) for v in value]
    return value


def layout_fields(kind: str, data: dict[str, Any]) -> set[str]:
    """The fields the PDF of ``kind`` reads from ``data`` (its layout and its page furniture)."""
    from window_desk.forms import normalise
    from window_desk.forms.draw import Geometry, PageDecor
    from window_desk.forms.fonts import get_fontset
    from window_desk.forms.layouts import build

    seen: set[str] = set()
    fonts = get_fontset()
    spec = KINDS[kind]
    geometry = Geometry(spec.landscape)
    data = normalise(kind, data)
    build(kind, _Recording(data, "", seen), fonts, geometry.width)
    PageDecor(kind, _Recording(data, "", seen), fonts, geometry, False)
    counts = {k.rstrip("?") for k, v in spec.fields.items() if v == COUNTS}
    return {p for p in seen if not any(p.startswith(c + ".") for c in counts)}


__all__ = ["CONTEXT", "DERIVED", "covered", "docx_sources", "layout_fields", "shape_fields", "template_fields"]
