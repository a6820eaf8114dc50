"""The headless commands, run as a user runs them (a subprocess)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.conftest import run_cli
from window_desk import __version__


def _no_traceback(proc) -> None:  # type: ignore[no-untyped-def]
    assert "Traceback" not in proc.stderr
    assert "Traceback" not in proc.stdout


def test_version() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    # Version and build (issue 16): a source checkout says so; a bundle prints its BUILD stamp.
    assert proc.stdout.strip() == f"window-desk {__version__}(构建:源码)"


def test_id_check_valid_and_invalid() -> None:
    proc = run_cli("id", "check", "11010519491231002X", "１３０５０３６７０４０１００１")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows[0] == {"input": "11010519491231002X", "valid": True, "id_number": "11010519491231002X",
                       "birth_date": "1949-12-31", "sex": "女", "region_code": "110105", "region": "北京市朝阳区",
                       "warning": None, "error": None}
    assert rows[1]["id_number"] == "130503196704010016" and rows[1]["sex"] == "男"
    bad = run_cli("id", "check", "11010519491231002X", "110105194912310021")
    assert bad.returncode == 1
    rows = [json.loads(line) for line in bad.stdout.splitlines()]
    assert [r["valid"] for r in rows] == [True, False]
    assert "校验码" in rows[1]["error"]
    _no_traceback(bad)


@pytest.mark.parametrize(
    "args",
    [("id",), ("id", "check"), ("frobnicate",), ("user", "add", "x"), ("user", "add", "x", "--role", "boss"),
     ("restore",), ("audit",)],
)
def test_usage_errors_exit_2_in_one_line(args: tuple[str, ...]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    _no_traceback(proc)


def test_user_add_headless(db_url: str) -> None:
    ok = run_cli("--db", db_url, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin="s3cret-pass\n")
    assert ok.returncode == 0, ok.stderr
    assert "admin" in ok.stdout
    dup = run_cli("--db", db_url, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin="s3cret-pass\n")
    assert dup.returncode == 2 and "已存在" in dup.stderr
    short = run_cli("--db", db_url, "user", "add", "li", "--role", "clerk", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "密码" in short.stderr
    empty = run_cli("--db", db_url, "user", "add", "li", "--role", "clerk", "--password-stdin", stdin="")
    assert empty.returncode == 2 and "标准输入" in empty.stderr
    listed = run_cli("--db", db_url, "user", "list")
    assert [json.loads(line)["username"] for line in listed.stdout.splitlines()] == ["admin"]
    verify = run_cli("--db", db_url, "audit", "verify")
    assert verify.returncode == 0 and "1 条" in verify.stdout
    for proc in (dup, short, empty):
        _no_traceback(proc)


def test_user_add_records_the_os_user_as_actor(db_url: str, tmp_path: Path) -> None:
    run_cli("--db", db_url, "user", "add", "admin", "--role", "admin", "--password-stdin", stdin="s3cret-pass\n")
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    actor, created_by = conn.execute("SELECT a.actor, u.created_by FROM audit_log a, users u").fetchone()
    conn.close()
    assert actor.startswith("cli:") and created_by == actor


def test_bad_database_url_is_a_usage_error(tmp_path: Path) -> None:
    proc = run_cli("--db", "nonsense://", "audit", "verify")
    assert proc.returncode == 2 and "--db" in proc.stderr
    _no_traceback(proc)
    (tmp_path / "junk.sqlite3").write_bytes(b"this is not a database at all" * 100)
    junk = run_cli("--db", f"sqlite:///{tmp_path / 'junk.sqlite3'}", "audit", "verify")
    assert junk.returncode == 2
    _no_traceback(junk)


def test_backup_while_writing_and_restore(db_url: str, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from window_desk.actor import Actor
    from window_desk.uow import UnitOfWork

    stop = threading.Event()
    written = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            with UnitOfWork(db, Actor.cli()) as uow:
                uow.audit("test.write", "thing", i, {"payload": "x" * 2000})
                uow.commit()
            written.append(i)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 50:
            threading.Event().wait(0.01)
        out = tmp_path / "backup.sqlite3"
        proc = run_cli("--db", db_url, "backup", str(out))
    finally:
        stop.set()
        thread.join()
    assert proc.returncode == 0, proc.stderr
    # The copy is consistent on its own: its chain verifies, and it holds a prefix of what was written.
    copy = run_cli("--db", f"sqlite:///{out}", "audit", "verify")
    assert copy.returncode == 0, copy.stderr
    count = sqlite3.connect(out).execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    assert 50 <= count <= len(written)

    again = run_cli("--db", db_url, "backup", str(out))
    assert again.returncode == 2 and "--force" in again.stderr

    refused = run_cli("--db", db_url, "restore", str(out))
    assert refused.returncode == 2 and "--force" in refused.stderr
    restored = run_cli("--db", db_url, "restore", str(out), "--force")
    assert restored.returncode == 0, restored.stderr
    assert "另存为" in restored.stdout
    db.dispose()
    after = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    actions = [r[0] for r in after.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1")]
    after.close()
    assert actions == ["database.restore"]
    assert run_cli("--db", db_url, "audit", "verify").returncode == 0


def test_restore_into_a_new_place_needs_no_force(db_url: str, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "b.sqlite3"
    assert run_cli("--db", db_url, "backup", str(out)).returncode == 0
    target = tmp_path / "new" / "desk.sqlite3"
    proc = run_cli("--db", f"sqlite:///{target}", "restore", str(out))
    assert proc.returncode == 0, proc.stderr
    assert target.exists()


def test_restore_rejects_garbage_and_missing(db_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00" * 4096)
    proc = run_cli("--db", db_url, "restore", str(junk), "--force")
    assert proc.returncode == 2
    missing = run_cli("--db", db_url, "restore", str(tmp_path / "nope.sqlite3"))
    assert missing.returncode == 2 and "不存在" in missing.stderr
    _no_traceback(proc)
    _no_traceback(missing)


def test_backup_of_postgres_url_is_refused() -> None:
    proc = run_cli("--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", "backup", "/tmp/x.sqlite3")
    assert proc.returncode == 2
    _no_traceback(proc)


def test_quick_commands_never_load_the_database_layer_or_qt() -> None:
    """``--version``, ``id check`` and ``assess`` start in <= 0.3 s because they import neither
    SQLAlchemy and the models nor Qt (benchmarks/bench_cli_start.py measures the time)."""
    import subprocess
    import sys

    from tests.conftest import REPO

    probe = (
        "import sys, io, contextlib\n"
        "from window_desk.cli import main\n"
        "for argv in (['--version'], ['id', 'check', '11010519491231002X'], ['assess', sys.argv[1]]):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try:\n"
        "            main(argv)\n"
        "        except SystemExit:\n"
        "            pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'PySide6', 'reportlab')"
        " or m == 'window_desk.db.models')\n"
        "print(','.join(heavy))\n"
    )
    sample = REPO / "resources" / "samples" / "assess" / "household.json"
    proc = subprocess.run([sys.executable, "-c", probe, str(sample)], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "", f"quick commands imported: {proc.stdout.strip()}"


def test_backup_manifest_carries_the_chain_head_and_verify_checks_it(db_url: str, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("--db", db_url, "user", "add", "admin", "--role", "admin", "--password-stdin",
                   stdin="admin-pass-1\n").returncode == 0
    out = tmp_path / "b.sqlite3"
    proc = run_cli("--db", db_url, "backup", str(out))
    assert proc.returncode == 0, proc.stderr
    manifest = (tmp_path / "b.sqlite3.manifest.txt").read_text(encoding="utf-8")
    head = run_cli("--db", db_url, "audit", "head").stdout.strip()
    assert f"审计链头:{head}" in manifest and head.split(":")[0].isdigit()
    assert run_cli("--db", db_url, "audit", "verify", "--anchor", head).returncode == 0
    wrong = head.split(":")[0] + ":" + "0" * 64
    proc = run_cli("--db", db_url, "audit", "verify", "--anchor", wrong)
    assert proc.returncode == 1 and "锚点" in proc.stderr


def test_restore_refuses_a_backup_whose_chain_is_broken(db_url: str, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("--db", db_url, "user", "add", "admin", "--role", "admin", "--password-stdin",
                   stdin="admin-pass-1\n").returncode == 0
    out = tmp_path / "b.sqlite3"
    assert run_cli("--db", db_url, "backup", str(out)).returncode == 0
    conn = sqlite3.connect(out)
    conn.execute("UPDATE audit_log SET action = 'forged' WHERE id = 1")
    conn.commit()
    conn.close()
    target = tmp_path / "new" / "desk.sqlite3"
    proc = run_cli("--db", f"sqlite:///{target}", "restore", str(out))
    assert proc.returncode == 2 and "审计链已损坏" in proc.stderr and not target.exists()
    forced = run_cli("--db", f"sqlite:///{target}", "restore", str(out), "--force")
    assert forced.returncode == 0, forced.stderr


def test_read_only_commands_refuse_a_database_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "typo.sqlite3"
    for args in (("audit", "verify"), ("user", "list"), ("audit", "head")):
        proc = run_cli("--db", f"sqlite:///{missing}", *args)
        assert proc.returncode == 2 and "不存在" in proc.stderr, args
        _no_traceback(proc)
    assert not missing.exists()


def test_an_output_folder_that_cannot_be_written_is_bad_input(db_url: str, tmp_path: Path) -> None:
    from tests.conftest import REPO

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    sample = REPO / "resources" / "samples" / "forms" / "acceptance_notice.json"
    for args in (("forms", "render", "acceptance_notice", "--data", str(sample), "--out", str(blocker / "x.pdf")),
                 ("--db", db_url, "backup", str(blocker / "b.sqlite3"))):
        proc = run_cli(*args)
        assert proc.returncode == 2, (args, proc.returncode, proc.stderr)
        assert str(blocker) in proc.stderr and "内部错误" not in proc.stderr
        _no_traceback(proc)


def test_a_json_file_with_a_bom_is_read(tmp_path: Path) -> None:
    from tests.conftest import REPO

    text = (REPO / "resources" / "samples" / "assess" / "household.json").read_text(encoding="utf-8")
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    proc = run_cli("assess", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["household_size"] == 3


def test_argparse_speaks_chinese() -> None:
    for args, words in ((("frobnicate",), "无效的选项"), (("id",), "缺少必需的参数"), (("id", "check"), "缺少必需的参数"),
                        (("id", "check", "1", "--nope"), "无法识别的参数")):
        proc = run_cli(*args)
        assert proc.returncode == 2 and words in proc.stderr, (args, proc.stderr)
        assert "error:" not in proc.stderr and "required" not in proc.stderr
