"""Persistence: SQLAlchemy models, the engine and the Alembic migrations.

Only ``engine.py`` knows which database it talks to; the models are portable
between SQLite and PostgreSQL.
"""
