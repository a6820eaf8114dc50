"""The desk's widgets: the only package that imports PySide6."""
