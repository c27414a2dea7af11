"""The inspector's verdict on each evidence file: a radio per file on the rate page, stored as it changes."""

from __future__ import annotations

from appkit import current_cycle, goto, signed_in

from store.records import SCHOOL_EDITABLE, SYSTEM, RaterRole
from store.services import Services

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
INSPECTOR = "insp08"


def editable_assessment_of_inspector(sv: Services) -> tuple[int, str, str]:
    """An assessment the inspector is assigned to that its school can still edit: (id, school code, item)."""
    cycle = current_cycle(sv)
    me = sv.accounts.by_username(SYSTEM, INSPECTOR)
    for a in sv.cycles.assignments(SYSTEM, cycle.id):
        if a.inspector_id != me.id:
            continue
        assessment = sv.assessments.find(SYSTEM, cycle.id, a.school_id)
        if assessment.status in SCHOOL_EDITABLE:
            item = next(iter(sv.frameworks.for_cycle(SYSTEM, cycle.id).items()))
            return assessment.id, a.school_code, item.id
    raise AssertionError("no editable assessment assigned to the inspector")


def test_the_inspector_judges_each_file_and_it_is_stored(data_dir, sv):
    aid, code, item_id = editable_assessment_of_inspector(sv)
    school = sv.accounts.by_username(SYSTEM, code.lower())
    link = sv.evidence.upload(school, aid, item_id, "photo.png", PNG)
    at = goto(signed_in(INSPECTOR), "inspector_rate.py", school=code)
    assert not at.exception
    radio = at.radio(key=f"rate.file_verdict.{aid}.{link.id}")
    assert radio.value is None
    radio.set_value(True).run()
    assert not at.exception
    assert sv.evidence.verdicts(SYSTEM, aid) == {link.id: {INSPECTOR: True}}
    at.radio(key=f"rate.file_verdict.{aid}.{link.id}").set_value(False).run()
    assert sv.evidence.verdicts(SYSTEM, aid) == {link.id: {INSPECTOR: False}}
    # the item's evidence is marked insufficient too (held until a level is given, as the page does)
    assert at.radio(key=f"inspector.verified.{aid}.{item_id}").value is False
    at.radio(key=f"inspector.level.{aid}.{item_id}").set_value(
        at.radio(key=f"inspector.level.{aid}.{item_id}").options[0]
    ).run()
    mine = [r for r in sv.ratings.list_ratings(SYSTEM, aid) if r.role == RaterRole.INSPECTOR and r.rater == INSPECTOR]
    assert [(r.item_id, r.evidence_verified) for r in mine] == [(item_id, False)]
