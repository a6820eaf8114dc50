"""window-desk: the desk of the social-assistance acceptance window (社会救助一门受理窗口).

The package root and everything outside ``window_desk.ui`` is Qt-free: domain
rules, services and document builders. ``window_desk.ui`` is the only place
that imports PySide6.
"""

__version__ = "0.1.0"
