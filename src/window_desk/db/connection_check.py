"""Testing a server before the desk is pointed at it (设置 → 数据库): connect once and say what is there."""

from __future__ import annotations

from dataclasses import dataclass

from window_desk.db.config import ServerConfig
from window_desk.errors import UserError


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str


def test_connection(cfg: ServerConfig, password: str | None) -> ConnectionCheck:
    """Connect once (5 s timeout) and say what is there, in Chinese."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    from window_desk.db.engine import schema_status

    args = {"password": password} if password else {}
    engine = create_engine(cfg.url(), connect_args=args, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SHOW server_version")).scalar()
        try:
            status = schema_status(engine)
        except UserError as exc:
            return ConnectionCheck(False, str(exc))
    except Exception as exc:
        orig = getattr(exc, "orig", exc)
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return ConnectionCheck(False, f"连接失败:{first}")
    finally:
        engine.dispose()
    ok = status.state in ("empty", "current", "behind")
    return ConnectionCheck(ok, f"连接成功(PostgreSQL {version}):{status.message}")
