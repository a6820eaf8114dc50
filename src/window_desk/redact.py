"""Keeping personal data out of crash logs: ID numbers and phones masked, names and addresses replaced.

A crash log is read by whoever fixes the bug, not by the clerk, so it must not carry the resident
the clerk was serving. Python source lines quoted in a traceback are kept (they are the program's
own text); everywhere else — exception messages, SQL parameters, logged values — ID numbers and
phone numbers are masked and every run of Chinese characters (a name, an address) is replaced.
"""

from __future__ import annotations

import logging
import re

# 18-digit (last may be X) and old 15-digit ID numbers, not inside a longer run of letters/digits (hashes).
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(?:\d{3}[\dXx]|\d)(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d{9}(?![0-9A-Za-z])")
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])0\d{2,3}[- ]?\d{7,8}(?![0-9A-Za-z])")
# CJK ideographs (BMP, extensions A–H, compatibility), 〇 and the middle dot of minority names.
_HAN = re.compile(r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
                  r"[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·・]*")

# ASCII marks, so redacting twice (a record passing two handlers) changes nothing more.
ID_MARK = "[ID]"
PHONE_MARK = "[PHONE]"
TEXT_MARK = "[TEXT]"


def redact_text(text: str) -> str:
    """One value or message: ID numbers, phones and Chinese text replaced."""
    text = _ID.sub(ID_MARK, text)
    text = _MOBILE.sub(PHONE_MARK, text)
    text = _LANDLINE.sub(PHONE_MARK, text)
    return _HAN.sub(TEXT_MARK, text)


def redact_traceback(trace: str) -> str:
    """A formatted traceback: the quoted source lines kept, everything else redacted."""
    out: list[str] = []
    source_next = False
    for line in trace.splitlines(keepends=True):
        if source_next and line.startswith("    "):
            # The program's own source line (and any ^^^ markers under it): no resident data here,
            # except an ID number or phone written as a literal, which is masked all the same.
            out.append(_LANDLINE.sub(PHONE_MARK, _MOBILE.sub(PHONE_MARK, _ID.sub(ID_MARK, line))))
            continue
        source_next = line.startswith('  File "')
        out.append(line if source_next else redact_text(line))
    return "".join(out)


class RedactingFilter(logging.Filter):
    """A handler filter: the record's message, arguments and exception text come out redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "redacted", False):
            return True
        record.redacted = True
        record.msg = redact_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_traceback(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_traceback(record.stack_info)
        return True
