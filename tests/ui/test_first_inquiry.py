"""The 首问登记 page as a clerk works it: keys only to record, hand on, close, reopen, accept on the spot."""

from __future__ import annotations

import csv

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from tests.ui.keys import focus, tab, type_text
from window_desk.actor import Actor
from window_desk.db.models import Document, Handoff, Inquiry
from window_desk.uow import UnitOfWork

VISITOR_ID = "110105198603150032"


def _open_page(window, qtbot):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    page = window.current_page
    assert page.page_id == "first_inquiry"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.channel, timeout=3000)
    return page


def _inquiries(db) -> list[Inquiry]:  # type: ignore[no-untyped-def]
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        rows = list(uow.session.scalars(select(Inquiry).order_by(Inquiry.id)))
        uow.session.expunge_all()
        return rows


def _type_here(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, focus(), text)


def _record_by_keys(page, qtbot, *, channel_key: Qt.Key, urgent: bool, name: str, id_number: str, phone: str,
                    address: str, matter: str, materials: str) -> None:  # type: ignore[no-untyped-def]
    assert focus() is page.channel
    qtbot.keyClick(focus(), channel_key)
    assert tab(qtbot) is page.urgent
    if urgent:
        qtbot.keyClick(focus(), Qt.Key.Key_Space)
    for widget, text in ((page.name, name), (page.id_number, id_number), (page.phone, phone),
                         (page.address, address), (page.matter, matter), (page.materials, materials)):
        assert tab(qtbot) is widget
        _type_here(qtbot, text)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)


def test_clerk_records_hands_on_and_closes_by_keyboard(window, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _open_page(window, qtbot)

    # A bad ID number is refused, naming the field; nothing is saved and the focus goes back to it.
    _record_by_keys(page, qtbot, channel_key=Qt.Key.Key_2, urgent=True, name="王䶮", id_number="110105198603150031",
                    phone="13812345678", address="示范镇幸福路1号", matter="家中失火，求助临时救助", materials="居民身份证")
    qtbot.waitUntil(lambda: "身份证号" in page.form_message.text(), timeout=5000)
    assert _inquiries(db) == []
    assert focus() is page.id_number

    # Ctrl+N clears the form; record it again with the right number.
    qtbot.keyClick(focus(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert focus() is page.channel and page.name.text() == ""
    _record_by_keys(page, qtbot, channel_key=Qt.Key.Key_2, urgent=True, name="王䶮", id_number=VISITOR_ID,
                    phone="13812345678", address="示范镇幸福路1号", matter="家中失火，求助临时救助", materials="居民身份证、户口簿")
    qtbot.waitUntil(lambda: len(_inquiries(db)) == 1, timeout=5000)
    saved = _inquiries(db)[0]
    assert (saved.channel, saved.urgent, saved.visitor_name, saved.visitor_phone) == ("phone_12345", True, "王䶮", "13812345678")
    assert saved.materials == ["居民身份证", "户口簿"] and saved.first_responder == "张窗口"
    # The form clears for the next visitor once the save's answer is back on the GUI thread.
    qtbot.waitUntil(lambda: page.matter.text() == "" and QApplication.focusWidget() is page.channel, timeout=5000)

    # An empty matter is refused.
    qtbot.keyClick(focus(), Qt.Key.Key_1)
    tab(qtbot, 2)
    _type_here(qtbot, "李四")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "求助事项" in page.form_message.text(), timeout=5000)
    assert len(_inquiries(db)) == 1
    qtbot.keyClick(focus(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    # The new inquiry is pinned on top (open 急难) and selected, its detail shown.
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.pinned_count == 1, timeout=5000)
    qtbot.waitUntil(lambda: "王䶮" in page.detail.text(), timeout=5000)
    assert "110105********0032" in page.detail.text()
    assert page.model.data(page.model.index(0, 7)).startswith("已等候")

    # Hand it on: click into 转交给, type, Enter.
    qtbot.mouseClick(page.handoff_to, Qt.MouseButton.LeftButton)
    _type_here(qtbot, "李受理")
    assert tab(qtbot) is page.handoff_note
    _type_here(qtbot, "转社会救助窗口")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any("李受理" in page.history.item(i).text() for i in range(page.history.count())),
                    timeout=5000)

    # A close without an outcome is refused.
    assert tab(qtbot) is page.outcome
    assert tab(qtbot) is page.outcome_detail
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "办理结果" in page.detail_message.text(), timeout=5000)
    assert _inquiries(db)[0].status == "open"

    # 4 转部门, the department, Enter.
    qtbot.keyClick(focus(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focus() is page.outcome
    qtbot.keyClick(focus(), Qt.Key.Key_4)
    assert page.outcome_label.text() == "转往部门："
    assert tab(qtbot) is page.outcome_detail
    _type_here(qtbot, "区应急局")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _inquiries(db)[0].status == "closed", timeout=5000)
    closed = _inquiries(db)[0]
    assert (closed.outcome, closed.department, closed.handled_by, closed.first_responder) == (
        "to_department", "区应急局", "李受理", "张窗口")
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        lines = [(h.kind, h.from_name, h.to_name, h.note) for h in uow.session.scalars(select(Handoff).order_by(Handoff.id))]
    assert lines == [("handoff", "张窗口", "李受理", "转社会救助窗口"), ("close", "李受理", "区应急局", "办结：转部门")]
    qtbot.waitUntil(lambda: page.print_record_button.isEnabled(), timeout=5000)

    # Ctrl+P prints the 首问负责登记表 through the documents service (numbered, logged).
    qtbot.keyClick(focus(), Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.last_issued is not None, timeout=15000)
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        doc = uow.session.scalars(select(Document)).one()
        assert (doc.kind, doc.inquiry_id, doc.number) == ("inquiry_record", closed.id, "示范镇救首〔2026〕0001号")
    page.preview_dialog.close()  # type: ignore[union-attr]


def test_reopen_and_accept_on_the_spot_opens_intake_prefilled(window, db, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _open_page(window, qtbot)
    _record_by_keys(page, qtbot, channel_key=Qt.Key.Key_1, urgent=False, name="王䶮", id_number=VISITOR_ID,
                    phone="13812345678", address="示范镇幸福路1号", matter="申请最低生活保障", materials="")
    qtbot.waitUntil(lambda: len(_inquiries(db)) == 1, timeout=5000)
    qtbot.waitUntil(lambda: "王䶮" in page.detail.text(), timeout=5000)
    # 5 咨询答复 with the answer given.
    qtbot.mouseClick(page.handoff_to, Qt.MouseButton.LeftButton)
    tab(qtbot, 2)
    qtbot.keyClick(focus(), Qt.Key.Key_5)
    assert tab(qtbot) is page.outcome_detail
    _type_here(qtbot, "已告知低保申请条件")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _inquiries(db)[0].status == "closed", timeout=5000)
    qtbot.waitUntil(lambda: page.reopen_box.isEnabled(), timeout=5000)

    # Reopen: a reason is required.
    qtbot.mouseClick(page.reopen_reason, Qt.MouseButton.LeftButton)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "理由" in page.detail_message.text(), timeout=5000)
    _type_here(qtbot, "来访人决定当场申请")
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _inquiries(db)[0].status == "open", timeout=5000)
    qtbot.waitUntil(lambda: page.close_box.isEnabled(), timeout=5000)

    # 1 当场受理: the intake page opens with the visitor as the applicant.
    qtbot.mouseClick(page.handoff_to, Qt.MouseButton.LeftButton)
    tab(qtbot, 2)
    qtbot.keyClick(focus(), Qt.Key.Key_1)
    tab(qtbot)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_page.page_id == "intake", timeout=5000)
    intake = window.current_page
    qtbot.waitUntil(lambda: intake.form.payload.get("inquiry_id") == _inquiries(db)[0].id, timeout=5000)
    member = intake.form.payload["members"][0]
    assert (member["name"], member["id_number"]) == ("王䶮", VISITOR_ID)
    assert intake.form.payload["phone"] == "13812345678" and intake.form.payload["matter"] == "申请最低生活保障"
    assert intake.form.editor.name.text() == "王䶮"
    row = _inquiries(db)[0]
    assert (row.status, row.outcome) == ("closed", "accepted")
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        kinds = [h.kind for h in uow.session.scalars(select(Handoff).order_by(Handoff.id))]
    assert kinds == ["close", "reopen", "close"]


def test_import_from_the_page_shows_progress_and_summary(window, db, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    page = _open_page(window, qtbot)
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="gbk", newline="") as f:
        w = csv.writer(f)
        w.writerow(["诉求内容", "工单号", "来电时间", "来电人", "联系电话", "紧急程度"])
        w.writerow(["咨询低保", "GD1", "2026-11-30 09:00", "李四", "13900001111", "普通"])
        w.writerow(["咨询低保", "GD1", "2026-11-30 09:00", "李四", "13900001111", "普通"])
        w.writerow(["", "GD2", "2026-11-30 09:10", "王五", "", "普通"])
    page.import_file(str(path))  # the file dialog's answer; the import itself runs on a worker
    qtbot.waitUntil(lambda: page.last_import is not None, timeout=10000)
    assert page.import_progress.value() == page.import_progress.maximum() == 3
    assert "导入 1 条" in page.import_message.text() and "跳过 1 条" in page.import_message.text()
    assert "第4行“诉求内容”列" in page.import_message.text()
    with UnitOfWork(db, Actor.cli(), write=False) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Inquiry)) == 1
