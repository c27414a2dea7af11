"""Pages that guide (issue 10): messages at the field, the school's walk in one click, names not user
names, evidence beside the item, and a finalized school's reports."""

from __future__ import annotations

import io
import re

from appkit import current_cycle, goto, messages, signed_in, texts
from PIL import Image

from sample_data.demo import DEMO_INSPECTORS
from store.records import SYSTEM, RaterRole, Status
from store.services import Services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (31, 111, 92)).save(out, format="PNG")
    return out.getvalue()


def flat(node) -> list:
    """Every element of the page in drawing order (blocks opened)."""
    out = []
    for child in getattr(node, "children", {}).values():
        out.append(child)
        out += flat(child)
    return out


def after(at, widget_type: str, key: str) -> str:
    """The type of the element drawn right after the widget with `key`, and its text."""
    elements = flat(at.main)
    n = next(i for i, e in enumerate(elements) if e.type == widget_type and getattr(e, "key", None) == key)
    following = elements[n + 1]
    return f"{following.type}: {getattr(following, 'value', '')}".replace("\\", "")


def assessment_of(sv: Services, code: str):
    cycle = current_cycle(sv)
    return sv.assessments.find(SYSTEM, cycle.id, sv.schools.by_code(SYSTEM, code).id)


def test_a_percentage_out_of_range_is_refused_with_a_message_at_its_field(data_dir, sv):
    cycle = current_cycle(sv)
    at = goto(signed_in("bureau"), "bureau_targets.py")
    key = f"bureau.entered.{cycle.id}.community_counselling"
    at.number_input(key=key).set_value(120.0)
    at.number_input(key=f"bureau.entered.{cycle.id}.family_guidance_stations").set_value(60.0)
    at.button(key=f"bureau.entered.send.{cycle.id}").click().run()
    assert sv.cycles.entered_figures(SYSTEM, cycle.id) == {}  # nothing saved, not even the good figure
    assert any("未保存" in m for m in messages(at, "error"))  # said at the top ...
    assert after(at, "number_input", key) == "error: 应为 0 到 100 之间的百分数，实际为 120"  # ... and at the field
    assert "community_counselling" not in " ".join(messages(at, "error"))  # no data code in the words
    at.number_input(key=key).set_value(90.0)
    at.button(key=f"bureau.entered.send.{cycle.id}").click().run()
    assert sv.cycles.entered_figures(SYSTEM, cycle.id) == {
        "community_counselling": 90.0,
        "family_guidance_stations": 60.0,
    }
    assert not messages(at, "error")


def test_a_wrong_fact_is_named_under_its_input_and_nothing_is_saved(data_dir, sv):
    a = assessment_of(sv, "CN004")
    at = goto(signed_in("cn004"), "school_facts.py")
    key = f"facts.{a.id}.students"
    at.number_input(key=key).set_value(0)
    at.button(key=f"facts.save.{a.id}").click().run()
    assert after(at, "number_input", key).startswith("error: 在校学生数: 应为 1 到")
    assert assessment_of(sv, "CN004").facts["students"] == a.facts["students"]
    at.number_input(key=key).set_value(640)
    at.button(key=f"facts.save.{a.id}").click().run()
    assert assessment_of(sv, "CN004").facts["students"] == 640
    assert not messages(at, "error")


def test_next_domain_is_one_click_and_a_saved_level_says_so_quietly(data_dir, sv):
    a = assessment_of(sv, "CN004")
    at = goto(signed_in("cn004"), "school_walk.py")
    assert at.selectbox(key=f"walk.domain.{a.id}").value == "A1"
    assert at.button(key=f"walk.prev.{a.id}").disabled
    at.button(key=f"walk.next.{a.id}").click().run()
    assert at.selectbox(key=f"walk.domain.{a.id}").value == "A2"
    at.button(key=f"walk.prev.{a.id}").click().run()
    assert at.selectbox(key=f"walk.domain.{a.id}").value == "A1"
    assert "已保存" not in texts(at)
    radio = at.radio(key=f"self.level.{a.id}.A1.1.1")
    radio.set_value("C" if radio.value != "C" else "B").run()
    assert "已保存" in texts(at) and not messages(at, "error")


def test_a_blocker_link_opens_the_item_s_domain(data_dir, sv):
    a = assessment_of(sv, "CN004")
    at = goto(signed_in("cn004"), "school_walk.py", item="A5.1.2")
    assert at.selectbox(key=f"walk.domain.{a.id}").value == "A5"
    assert "从提交页跳转到此项目" in texts(at)
    at.button(key=f"walk.prev.{a.id}").click().run()  # the URL no longer pulls the walk back
    assert at.selectbox(key=f"walk.domain.{a.id}").value == "A4"


def test_a_finalized_school_sees_findings_by_name_and_downloads_its_reports(data_dir, sv):
    code = next(
        a.school_code
        for a in sv.assessments.list_assessments(SYSTEM, current_cycle(sv).id)
        if a.status == Status.FINALIZED
        and any(r.finding and r.role != RaterRole.SELF for r in sv.ratings.list_ratings(SYSTEM, a.id))
    )
    a = assessment_of(sv, code)
    at = goto(signed_in(code.lower()), "school_home.py")
    keys = {b.key for b in at.download_button}
    assert {f"reports.school.inspection_docx.{a.id}", f"reports.school.feedback.{a.id}"} <= keys
    assert any(b.label == "督导报告（Word）" for b in at.download_button)
    at = goto(at, "school_walk.py")
    at.toggle(key=f"walk.findings.{a.id}").set_value(True).run()
    shown = [m for m in messages(at, "warning") if "的意见：" in m]
    with_findings = {r.item_id for r in sv.ratings.list_ratings(SYSTEM, a.id) if r.finding and r.role != RaterRole.SELF}
    assert len(at.radio) >= len(with_findings) > 0 and shown  # every item with a finding, every domain
    assert not any(re.search(r"insp\d+", m) for m in shown)
    assert any(name in m for m in shown for name in DEMO_INSPECTORS.values()) or all("督导组" in m for m in shown)


def test_the_lead_s_table_is_headed_by_the_inspectors_names(data_dir, sv):
    at = goto(signed_in("insp08"), "inspector_lead.py", school="CN024")
    table = at.dataframe[0].value
    raters = {r.rater for r in sv.ratings.list_ratings(SYSTEM, assessment_of(sv, "CN024").id) if r.role == "inspector"}
    assert raters and {DEMO_INSPECTORS[r] for r in raters} <= set(table.columns)
    assert not raters & set(table.columns)


def test_the_inspector_opens_a_pdf_and_an_image_beside_the_item(data_dir, sv):
    a = assessment_of(sv, "CN004")
    school = sv.accounts.by_username(SYSTEM, "cn004")
    pdf = sv.evidence.upload(school, a.id, "A1.1.1", "规划.pdf", PDF)
    image = sv.evidence.upload(school, a.id, "A1.1.1", "照片.png", png())
    sheet = sv.evidence.upload(school, a.id, "A1.1.1", "台账.xlsx", _xlsx())
    at = goto(signed_in("insp04"), "inspector_rate.py", school="CN004")
    key = f"rate.evidence.{a.id}.A1.1.1"
    assert not {e.type for e in flat(at.main)} & {"imgs", "image", "iframe"}  # nothing read until asked
    at.toggle(key=f"{key}.view.{pdf.id}").set_value(True).run()
    frames = at.get("iframe")
    assert len(frames) == 1 and frames[0].proto.src.endswith(".pdf")  # served from Streamlit's media storage
    at.toggle(key=f"{key}.view.{image.id}").set_value(True).run()
    assert {e.type for e in flat(at.main)} & {"imgs", "image"}, sorted({e.type for e in flat(at.main)})
    assert not [t for t in at.toggle if t.key == f"{key}.view.{sheet.id}"]  # a workbook only downloads
    assert f"{key}.dl.{sheet.id}" in {b.key for b in at.download_button}
    assert not at.exception and not messages(at, "error")


def _xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    book.add_worksheet().write_string(0, 0, "台账")
    book.close()
    return out.getvalue()


def test_every_guide_entry_has_both_languages_and_is_used():
    from pathlib import Path

    from i18n.messages_guide import MESSAGES

    root = Path(__file__).resolve().parents[2]
    text = "\n".join(p.read_text(encoding="utf-8") for p in (root / "ui").rglob("*.py"))
    for key, entry in MESSAGES.items():
        assert entry.get("zh") and entry.get("en"), key
        assert key in text or key.rsplit(".", 1)[0] + ".{" in text, key


def test_the_lead_s_reports_list_the_whole_team_by_name(data_dir, sv):
    from settings import get_settings
    from ui import reports_ui, scope
    from ui.context import AppCtx

    cycle = current_cycle(sv)
    lead = sv.accounts.by_username(SYSTEM, "insp08")
    school = sv.schools.by_code(SYSTEM, "CN024")
    ctx = AppCtx(sv, get_settings(), lead, "zh", tuple(sv.cycles.list_cycles(lead)), cycle)
    loaded = scope.load(ctx, school.id)
    team = reports_ui.team(sv.visits.get(lead, loaded.aid))  # no visit entered: the assigned team
    assigned = [a for a in sv.cycles.assignments(SYSTEM, cycle.id) if a.school_id == school.id]
    assert len(team) == len(assigned) > 1  # every inspector of the school, not only the lead
    assert team[0].lead and {m.name for m in team} == {DEMO_INSPECTORS[a.inspector] for a in assigned}


def test_the_team_of_a_school_is_seen_by_its_school_its_inspectors_and_the_bureau_only(data_dir, sv):
    import pytest

    from store.errors import PermissionDenied

    cycle = current_cycle(sv)
    school = sv.schools.by_code(SYSTEM, "CN024")
    team = sv.cycles.team(SYSTEM, cycle.id, school.id)
    members = {a.inspector for a in team}
    outsider = next(u for u in DEMO_INSPECTORS if u not in members)
    for who in ("cn024", "bureau", *members):
        seen = sv.cycles.team(sv.accounts.by_username(SYSTEM, who), cycle.id, school.id)
        assert [(a.inspector, a.inspector_name, a.lead) for a in seen] == [
            (a.inspector, DEMO_INSPECTORS[a.inspector], a.lead) for a in team
        ]
    for who in ("cn004", outsider):
        with pytest.raises(PermissionDenied):
            sv.cycles.team(sv.accounts.by_username(SYSTEM, who), cycle.id, school.id)
