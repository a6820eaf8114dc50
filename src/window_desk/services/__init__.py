"""Use cases: functions of (command, unit of work) returning plain data.

A service validates its input, changes rows through the unit of work's
session, writes its audit entry in the same transaction and commits once. The
desk and the CLI both call these; neither has logic of its own.
"""
