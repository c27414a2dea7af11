"""Calibration: cases with master levels, rounds rated blind, results, certification and the bureau's settings.

- A case is built by the bureau from a finalized assessment (the facts, the school's levels and accounts,
  the evidence; the school's name, code and street removed from every text, the files renamed) or from
  scratch. Its master levels are set by the panel: the bureau, or the inspector chosen as panel lead.
- A round (a cycle, cases, invited inspectors, a deadline) lets each invited inspector rate the cases; an
  inspector sees only their own levels, never another's, and no master level until the round closes.
- Results: the bureau sees everyone's at any time; an inspector sees only their own, once the round is
  closed, with the master levels and reasons. The bureau certifies after closing, by its rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from criteria import Framework
from i18n.problems import InputError, Problem
from scoring.calibration import NA, CertificationRule, ConsistencyLimits, compare_round, master_problems
from store import audit
from store.calibration_records import (
    CalibrationCase,
    CalibrationRating,
    CalibrationRound,
    CalibrationSettings,
    CaseFile,
    CaseItem,
    Certification,
    MasterLevel,
    RoundResults,
)
from store.context import Area
from store.cycles import cycle_row
from store.errors import ConflictError, InvalidState, NotFound, PermissionDenied
from store.evidence_files import BlobStore
from store.facts_check import check_facts
from store.models import (
    AssessmentRow,
    CalibrationCaseRow,
    CalibrationRatingRow,
    CalibrationRoundRow,
    CalibrationSettingRow,
    CertificationRow,
    EvidenceFileRow,
    EvidenceLinkRow,
    RatingRow,
    SchoolRow,
    UserRow,
)
from store.policy import MANAGERS, acting, require
from store.records import RaterRole, Role, Status, User

MANAGE = "calibration.action.manage"
RATE = "calibration.action.rate"
VIEW = "calibration.action.view"
MASTER = "calibration.action.master"
HIDDEN = "（本校）"
MAX_TEXT = 4000


class Calibration(Area):
    """Cases, rounds, blind ratings, results, certifications and settings."""

    # ------------------------------------------------------------------------------------------ cases
    def case_from_assessment(
        self, actor: User, assessment_id: int, title: str, panel_lead_id: int | None = None
    ) -> CalibrationCase:
        """A case from a finalized assessment (bureau): facts, self levels and accounts, evidence; no identity."""

        def write(session: Session) -> CalibrationCase:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            a = session.get(AssessmentRow, assessment_id)
            if a is None:
                raise NotFound(what=f"assessment {assessment_id}")
            if a.status != Status.FINALIZED:
                raise InvalidState("calibration.not_finalized")
            school = session.get(SchoolRow, a.school_id)
            assert school is not None
            cycle = cycle_row(session, a.cycle_id)
            name = _title(title)
            _check_panel_lead(session, panel_lead_id)
            scrub = scrubber(school)
            query = select(RatingRow).where(RatingRow.assessment_id == a.id, RatingRow.role == RaterRole.SELF.value)
            items = {r.item_id: {"level": r.level, "account": scrub(r.account)} for r in session.scalars(query)}
            query2 = (
                select(EvidenceLinkRow, EvidenceFileRow)
                .join(EvidenceFileRow, EvidenceFileRow.sha256 == EvidenceLinkRow.sha256)
                .where(EvidenceLinkRow.assessment_id == a.id)
                .order_by(EvidenceLinkRow.item_id, EvidenceLinkRow.id)
            )
            evidence = [
                {
                    "item_id": link.item_id,
                    "sha256": file.sha256,
                    "filename": neutral_name(n, link.item_id, file.kind),
                    "size": file.size,
                    "kind": file.kind,
                }
                for n, (link, file) in enumerate(session.execute(query2).all(), start=1)
            ]
            now = self.ctx.clock()
            row = CalibrationCaseRow(
                title=name,
                framework_version_id=cycle.framework_version_id,
                stages=a.school_stages or school.stages,
                facts=dict(a.facts or {}),
                items=items,
                evidence=evidence,
                master={},
                source_assessment_id=a.id,
                panel_lead_id=panel_lead_id,
                created_by=me.username,
                created_at=now,
                updated_at=now,
            )
            return _added_case(session, me, now, row, from_school=True)

        return self.ctx.write(actor, write)

    def case_from_scratch(
        self,
        actor: User,
        title: str,
        framework_version_id: int,
        stages: Sequence[str],
        facts: Mapping[str, float] | None = None,
        items: Mapping[str, tuple[str, str]] | None = None,
        panel_lead_id: int | None = None,
    ) -> CalibrationCase:
        """A case written by the bureau: stages, facts, per item a level and an account the case shows."""

        def write(session: Session) -> CalibrationCase:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            name = _title(title)
            framework = self.ctx.frameworks.version(session, framework_version_id)
            stage_text = ";".join(dict.fromkeys(str(s) for s in stages))
            problems = [] if stage_text else [Problem("calibration.no_stages", path="stages")]
            shown = dict(items or {})
            levels = {i: lv for i, (lv, _) in shown.items() if lv}
            problems += _master_problems(framework, stage_text, levels, complete=False, path="items")
            if problems:
                raise InputError(problems)
            _check_panel_lead(session, panel_lead_id)
            fake = SchoolRow(code="CASE", name="", stages=stage_text, street="", ownership="", campuses=None)
            checked = check_facts(facts or {}, fake, complete=False) if facts else {}
            now = self.ctx.clock()
            row = CalibrationCaseRow(
                title=name,
                framework_version_id=framework_version_id,
                stages=stage_text,
                facts=checked,
                items={i: {"level": lv, "account": _text(acc)} for i, (lv, acc) in shown.items()},
                evidence=[],
                master={},
                source_assessment_id=None,
                panel_lead_id=panel_lead_id,
                created_by=me.username,
                created_at=now,
                updated_at=now,
            )
            return _added_case(session, me, now, row, from_school=False)

        return self.ctx.write(actor, write)

    def update_case(
        self,
        actor: User,
        case_id: int,
        items: Mapping[str, tuple[str, str]] | None = None,
        facts: Mapping[str, float] | None = None,
    ) -> CalibrationCase:
        """Change what a case written from scratch shows (bureau): per item the level and account, the facts.

        Refused for a case built from a school (it shows what the school gave) and for a case a round
        already uses (its raters saw it as it was).
        """

        def write(session: Session) -> CalibrationCase:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = _case_row(session, case_id, lock=True)
            if row.source_assessment_id is not None or case_id in _case_ids_in_rounds(session):
                raise InvalidState("calibration.case_fixed", case=row.title)
            framework = self.ctx.frameworks.version(session, row.framework_version_id)
            before = {"items": dict(row.items or {}), "facts": dict(row.facts or {})}
            if items is not None:
                given = {i: (str(lv or "").strip().upper(), _text(acc)) for i, (lv, acc) in items.items()}
                levels = {i: lv for i, (lv, _) in given.items() if lv}
                problems = _master_problems(framework, row.stages, levels, complete=False, path="items")
                if problems:
                    raise InputError(problems)
                row.items = {i: {"level": lv, "account": acc} for i, (lv, acc) in given.items() if lv or acc}
            if facts is not None:
                fake = SchoolRow(code="CASE", name="", stages=row.stages, street="", ownership="", campuses=None)
                row.facts = check_facts(facts, fake, complete=False)
            after = {"items": dict(row.items or {}), "facts": dict(row.facts or {})}
            if after != before:
                now = self.ctx.clock()
                row.updated_at = now
                session.flush()
                audit.record(
                    session, me, now, "calibration.case.edit", "calibration_case", row.id, before=before, after=after
                )
            return case_record(session, row, me)

        return self.ctx.write(actor, write)

    def cases(self, actor: User) -> list[CalibrationCase]:
        """The cases the actor may see: all (bureau); an inspector's as panel lead or in their rounds."""

        def read(session: Session) -> list[CalibrationCase]:
            me = acting(session, actor)
            rows = session.scalars(select(CalibrationCaseRow).order_by(CalibrationCaseRow.id)).all()
            if me.role in MANAGERS:
                return [case_record(session, r, me) for r in rows]
            require(me, {Role.INSPECTOR}, VIEW)
            mine = _invited_case_ids(session, me.id)
            return [case_record(session, r, me) for r in rows if r.panel_lead_id == me.id or r.id in mine]

        return self.ctx.read(read)

    def case(self, actor: User, case_id: int) -> CalibrationCase:
        """One case, if the actor may see it (master levels only where they may)."""

        def read(session: Session) -> CalibrationCase:
            me = acting(session, actor)
            row = _case_row(session, case_id)
            _check_case_view(session, me, row)
            return case_record(session, row, me)

        return self.ctx.read(read)

    def case_file(self, actor: User, case_id: int, index: int) -> tuple[CaseFile, bytes]:
        """One evidence file of a case, as the actor may see the case."""

        def read(session: Session) -> tuple[CaseFile, str]:
            me = acting(session, actor)
            row = _case_row(session, case_id)
            _check_case_view(session, me, row)
            files = list(row.evidence or [])
            if not 1 <= index <= len(files):
                raise NotFound(what=f"case {case_id} file {index}")
            f = files[index - 1]
            return CaseFile(index, f["item_id"], f["filename"], int(f["size"]), f["kind"]), f["sha256"]

        info, sha = self.ctx.read(read)
        return info, BlobStore(self.ctx.limits.evidence_dir).get(sha)

    def set_master(
        self,
        actor: User,
        case_id: int,
        levels: Mapping[str, tuple[str, str] | None],
        expected_version: int | None = None,
    ) -> CalibrationCase:
        """Set master levels (item → (level, reason); None removes one): the bureau or the case's panel lead.

        Every bad entry is listed and nothing is written; a master level may not change once a closed round
        has used the case (its results would change under the inspectors' eyes).
        """

        def write(session: Session) -> CalibrationCase:
            me = acting(session, actor)
            row = _case_row(session, case_id, lock=True)
            _check_master_right(me, row)
            if expected_version is not None and row.version_id != expected_version:
                raise ConflictError(row.title, row.created_by, row.updated_at)
            _apply_master(self, session, me, row, levels, path_prefix="")
            return case_record(session, row, me)

        return self.ctx.write(actor, write)

    def import_master(self, actor: User, rows: pd.DataFrame, *, file: str = "master.xlsx") -> int:
        """Master levels of several cases at once (rows: case, item, level, reason, sheet row), all or nothing.

        `case` is a case's title or number. Returns how many levels were set.
        """

        def write(session: Session) -> int:
            me = acting(session, actor)
            require(me, MANAGERS | {Role.INSPECTOR}, MASTER)
            cases = {r.title: r for r in session.scalars(select(CalibrationCaseRow))}
            by_id = {str(r.id): r for r in cases.values()}
            problems: list[Problem] = []
            wanted: dict[int, dict[str, tuple[str, str]]] = {}
            rows_of: dict[tuple[int, str], int] = {}
            for rec in rows.to_dict("records"):
                where = {"file": file, "sheet": rec.get("sheet"), "row": rec.get("row")}
                name = str(rec.get("case", "")).strip()
                row = cases.get(name) or by_id.get(name)
                if row is None:
                    problems.append(Problem("calibration.unknown_case", {"found": name}, column="case", **where))
                    continue
                if not _may_set_master(me, row):
                    raise PermissionDenied(MASTER)
                item, level = str(rec.get("item", "")).strip(), str(rec.get("level", "")).strip().upper()
                if (row.id, item) in rows_of:
                    problems.append(Problem("calibration.duplicate_item", {"found": item}, column="item", **where))
                    continue
                rows_of[(row.id, item)] = int(rec.get("row") or 0)
                framework = self.ctx.frameworks.version(session, row.framework_version_id)
                for _, code, found in master_problems(framework, row.stages.split(";"), {item: level}):
                    column = "level" if code in ("bad_level", "na_not_allowed") else "item"
                    problems.append(Problem(f"calibration.master.{code}", {"found": found}, column=column, **where))
                reason = _text(str(rec.get("reason") or ""))
                wanted.setdefault(row.id, {})[item] = (level, reason)
            if not rows.empty and not problems:
                for case_id in wanted:
                    if _used_in_closed_round(session, case_id):
                        title = by_id[str(case_id)].title
                        problems.append(Problem("calibration.master_locked", {"case": title}, file=file))
            if problems:
                raise InputError(problems)
            for case_id, levels in wanted.items():
                row = session.get(CalibrationCaseRow, case_id, with_for_update=True)
                assert row is not None
                _apply_master(self, session, me, row, dict(levels), path_prefix="")
            return sum(len(v) for v in wanted.values())

        return self.ctx.write(actor, write)

    # ----------------------------------------------------------------------------------------- rounds
    def create_round(
        self,
        actor: User,
        cycle_id: int,
        name: str,
        case_ids: Sequence[int],
        inspector_ids: Sequence[int],
        deadline: date | None = None,
    ) -> CalibrationRound:
        """A new open round (bureau): cases of the cycle's framework with every master level set, inspectors."""

        def write(session: Session) -> CalibrationRound:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            cycle = cycle_row(session, cycle_id)
            title = _title(name, path="name")
            problems: list[Problem] = []
            if session.scalars(select(CalibrationRoundRow.id).where(CalibrationRoundRow.name == title)).first():
                problems.append(Problem("calibration.round_exists", {"found": title}, path="name"))
            cases = list(dict.fromkeys(int(c) for c in case_ids))
            people = list(dict.fromkeys(int(i) for i in inspector_ids))
            if not cases:
                problems.append(Problem("calibration.no_cases", path="cases"))
            if not people:
                problems.append(Problem("calibration.no_inspectors", path="inspectors"))
            for case_id in cases:
                row = session.get(CalibrationCaseRow, case_id)
                if row is None:
                    problems.append(Problem("calibration.unknown_case", {"found": case_id}, path="cases"))
                    continue
                if row.framework_version_id != cycle.framework_version_id:
                    problems.append(Problem("calibration.other_framework", {"case": row.title}, path="cases"))
                framework = self.ctx.frameworks.version(session, row.framework_version_id)
                levels = {i: m["level"] for i, m in (row.master or {}).items()}
                if master_problems(framework, row.stages.split(";"), levels, complete=True):
                    problems.append(Problem("calibration.master_incomplete", {"case": row.title}, path="cases"))
                if row.panel_lead_id in people:
                    lead = session.get(UserRow, row.panel_lead_id)
                    who = lead.display_name or lead.username if lead else "?"
                    problems.append(Problem("calibration.panel_invited", {"case": row.title, "who": who}))
            for user_id in people:
                user = session.get(UserRow, user_id)
                if user is None or user.role != Role.INSPECTOR or not user.active:
                    problems.append(Problem("store.not_inspector", {"found": user_id}, path="inspectors"))
            if problems:
                raise InputError(problems)
            now = self.ctx.clock()
            row = CalibrationRoundRow(
                cycle_id=cycle_id,
                name=title,
                deadline=deadline,
                status="open",
                case_ids=cases,
                inspector_ids=people,
                created_at=now,
                closed_at=None,
            )
            session.add(row)
            session.flush()
            after = {"name": title, "cases": cases, "inspectors": people, "deadline": deadline}
            audit.record(
                session, me, now, "calibration.round.add", "calibration_round", row.id, after=after, cycle_id=cycle_id
            )
            return round_record(session, row)

        return self.ctx.write(actor, write)

    def rounds(self, actor: User, cycle_id: int | None = None) -> list[CalibrationRound]:
        """The rounds the actor may see, newest first: all (bureau), those they are invited to (inspector)."""

        def read(session: Session) -> list[CalibrationRound]:
            me = acting(session, actor)
            query = select(CalibrationRoundRow).order_by(CalibrationRoundRow.id.desc())
            if cycle_id is not None:
                query = query.where(CalibrationRoundRow.cycle_id == cycle_id)
            rows = session.scalars(query).all()
            if me.role not in MANAGERS:
                require(me, {Role.INSPECTOR}, VIEW)
                rows = [r for r in rows if me.id in (r.inspector_ids or [])]
            return [round_record(session, r) for r in rows]

        return self.ctx.read(read)

    def get_round(self, actor: User, round_id: int) -> CalibrationRound:
        """One round (bureau, or an invited inspector)."""

        def read(session: Session) -> CalibrationRound:
            me = acting(session, actor)
            row = _round_row(session, round_id)
            _check_round_view(me, row)
            return round_record(session, row)

        return self.ctx.read(read)

    def close_round(self, actor: User, round_id: int) -> CalibrationRound:
        """Close a round (bureau): no more ratings; results and master levels are shown to the inspectors."""

        def write(session: Session) -> CalibrationRound:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = _round_row(session, round_id, lock=True)
            if row.status == "closed":
                raise InvalidState("calibration.round_closed", name=row.name)
            now = self.ctx.clock()
            row.status, row.closed_at = "closed", now
            audit.record(
                session,
                me,
                now,
                "calibration.round.close",
                "calibration_round",
                row.id,
                before={"status": "open"},
                after={"status": "closed"},
                cycle_id=row.cycle_id,
            )
            return round_record(session, row)

        return self.ctx.write(actor, write)

    # ---------------------------------------------------------------------------------------- ratings
    def save_rating(
        self,
        actor: User,
        round_id: int,
        case_id: int,
        item_id: str,
        level: str | None,
        finding: str = "",
        expected_version: int | None = None,
    ) -> CalibrationRating | None:
        """An invited inspector's level for an item of a case (None clears it), while the round is open."""

        def write(session: Session) -> CalibrationRating | None:
            me = acting(session, actor)
            if me.role != Role.INSPECTOR:
                raise PermissionDenied(RATE)
            row = _round_row(session, round_id)
            if me.id not in (row.inspector_ids or []):
                raise PermissionDenied(RATE)
            if row.status == "closed":
                raise InvalidState("calibration.round_closed", name=row.name)
            today = self.ctx.clock().date()
            if row.deadline is not None and today > row.deadline:
                raise InvalidState("calibration.past_deadline", name=row.name, deadline=row.deadline.isoformat())
            if case_id not in (row.case_ids or []):
                raise NotFound(what=f"case {case_id}")
            case = _case_row(session, case_id)
            framework = self.ctx.frameworks.version(session, case.framework_version_id)
            if level is not None:
                found = master_problems(framework, case.stages.split(";"), {item_id: level})
                if found:
                    _, code, value = found[0]
                    raise InputError([Problem(f"calibration.master.{code}", {"found": value}, path=item_id)])
            query = select(CalibrationRatingRow).where(
                CalibrationRatingRow.round_id == round_id,
                CalibrationRatingRow.case_id == case_id,
                CalibrationRatingRow.item_id == item_id,
                CalibrationRatingRow.inspector_id == me.id,
            )
            rating = session.scalars(query.with_for_update()).first()
            stored = rating.version_id if rating is not None else None
            if expected_version != stored and not (expected_version is None and rating is None):
                raise ConflictError(item_id, me.username, rating.updated_at if rating else None)
            now = self.ctx.clock()
            before = {"level": rating.level, "finding": rating.finding} if rating else None
            where = {"cycle_id": row.cycle_id}
            if level is None:
                if rating is not None:
                    session.delete(rating)
                    audit.record(
                        session, me, now, "calibration.rate", "calibration_rating", rating.id, before=before, **where
                    )
                return None
            if rating is None:
                rating = CalibrationRatingRow(
                    round_id=round_id, case_id=case_id, item_id=item_id, inspector_id=me.id, level=level, finding=""
                )
                session.add(rating)
            rating.level, rating.finding, rating.updated_at = level, _text(finding), now
            session.flush()
            after = {"level": level, "finding": rating.finding}
            if before != after:
                audit.record(
                    session,
                    me,
                    now,
                    "calibration.rate",
                    "calibration_rating",
                    rating.id,
                    before=before,
                    after=after,
                    **where,
                )
            return _rating_record(rating, me.username)

        return self.ctx.write(actor, write)

    def my_ratings(self, actor: User, round_id: int) -> list[CalibrationRating]:
        """The acting inspector's own levels in a round (nobody else's)."""

        def read(session: Session) -> list[CalibrationRating]:
            me = acting(session, actor)
            row = _round_row(session, round_id)
            if me.role != Role.INSPECTOR or me.id not in (row.inspector_ids or []):
                raise PermissionDenied(RATE)
            query = select(CalibrationRatingRow).where(
                CalibrationRatingRow.round_id == round_id, CalibrationRatingRow.inspector_id == me.id
            )
            return [_rating_record(r, me.username) for r in session.scalars(query)]

        return self.ctx.read(read)

    def all_ratings(self, actor: User, round_id: int) -> list[CalibrationRating]:
        """Every inspector's levels in a round (bureau only)."""

        def read(session: Session) -> list[CalibrationRating]:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            _round_row(session, round_id)
            names = _usernames(session)
            query = select(CalibrationRatingRow).where(CalibrationRatingRow.round_id == round_id)
            return [_rating_record(r, names.get(r.inspector_id, "?")) for r in session.scalars(query)]

        return self.ctx.read(read)

    # ---------------------------------------------------------------------------------------- results
    def results(self, actor: User, round_id: int) -> RoundResults:
        """The round against its master levels: everyone's (bureau), or one's own once closed (inspector)."""

        def read(session: Session) -> RoundResults:
            me = acting(session, actor)
            row = _round_row(session, round_id)
            _check_round_view(me, row)
            if me.role not in MANAGERS and row.status != "closed":
                raise InvalidState("calibration.results_after_close", name=row.name)
            return _results(self, session, me, row)

        return self.ctx.read(read)

    def certify(self, actor: User, round_id: int) -> list[Certification]:
        """Decide every invited inspector's certification by the bureau's rule (bureau, closed round)."""

        def write(session: Session) -> list[Certification]:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            row = _round_row(session, round_id, lock=True)
            if row.status != "closed":
                raise InvalidState("calibration.certify_after_close", name=row.name)
            rule = _settings(session).rule
            found = _results(self, session, me, row).result.certify(rule)
            now = self.ctx.clock()
            start = (row.closed_at or now).date()
            ids = {v: k for k, v in _usernames(session).items()}
            existing = {
                c.inspector_id: c
                for c in session.scalars(select(CertificationRow).where(CertificationRow.round_id == round_id))
            }
            for r in found.itertuples(index=False):
                user_id = ids[r.rater]
                cert = existing.get(user_id) or CertificationRow(inspector_id=user_id, round_id=round_id)
                before = {"certified": cert.certified, "valid_until": cert.valid_until} if cert.id else None
                cert.certified = bool(r.passed)
                cert.exact, cert.adjacent = float(r.exact), float(r.adjacent)
                cert.min_domain = None if pd.isna(r.min_domain) else float(r.min_domain)
                cert.rule = asdict(rule)
                cert.valid_until = start + timedelta(days=rule.valid_days) if r.passed else None
                cert.decided_by, cert.decided_at = me.username, now
                session.add(cert)
                after = {"certified": cert.certified, "valid_until": cert.valid_until, "adjacent": cert.adjacent}
                audit.record(
                    session,
                    me,
                    now,
                    "calibration.certify",
                    "certification",
                    f"{round_id}:{user_id}",
                    before=before,
                    after=after,
                    cycle_id=row.cycle_id,
                )
            session.flush()
            return [c for c in _certifications(session, round_id=round_id)]

        return self.ctx.write(actor, write)

    def certifications(self, actor: User, on: date | None = None) -> dict[str, Certification]:
        """Per inspector (user name), the certification that counts on `on` (default today).

        The latest one valid that day, else the latest decision; the bureau sees everyone's, an inspector
        only their own.
        """

        def read(session: Session) -> dict[str, Certification]:
            me = acting(session, actor)
            if me.role not in MANAGERS:
                require(me, {Role.INSPECTOR}, VIEW)
            day = on or self.ctx.clock().date()
            only = None if me.role in MANAGERS else me.id
            return current_certifications(session, day, only)

        return self.ctx.read(read)

    # --------------------------------------------------------------------------------------- settings
    def settings(self, actor: User) -> CalibrationSettings:
        """The certification rule and consistency limits (any signed-in user: they are the published bar)."""
        return self.ctx.read(lambda session: (acting(session, actor), _settings(session))[1])

    def set_settings(
        self, actor: User, rule: CertificationRule | None = None, limits: ConsistencyLimits | None = None
    ) -> CalibrationSettings:
        """Change the rule or the limits (bureau); values out of range are refused, nothing written."""

        def write(session: Session) -> CalibrationSettings:
            me = acting(session, actor)
            require(me, MANAGERS, MANAGE)
            problems = [
                Problem("calibration.bad_setting", {"field": f}, path=f) for f in (rule.problems() if rule else [])
            ]
            problems += [
                Problem("calibration.bad_setting", {"field": f}, path=f) for f in (limits.problems() if limits else [])
            ]
            if problems:
                raise InputError(problems)
            now = self.ctx.clock()
            for key, value in (("rule", rule), ("limits", limits)):
                if value is None:
                    continue
                row = session.get(CalibrationSettingRow, key, with_for_update=True)
                before = dict(row.value) if row is not None else None
                after = asdict(value)
                if row is None:
                    row = CalibrationSettingRow(key=key, value=after, updated_by=me.username, updated_at=now)
                    session.add(row)
                row.value, row.updated_by, row.updated_at = after, me.username, now
                audit.record(
                    session, me, now, "calibration.settings", "calibration_settings", key, before=before, after=after
                )
            session.flush()
            return _settings(session)

        return self.ctx.write(actor, write)


# ------------------------------------------------------------------------------------------- helpers
def scrubber(school: SchoolRow) -> Any:
    """A function removing the school's name, code and street from a text."""
    words = sorted(
        {w for w in (school.name, school.code, school.street) if w and len(w.strip()) >= 2}, key=len, reverse=True
    )
    pattern = re.compile("|".join(re.escape(w.strip()) for w in words), re.IGNORECASE) if words else None

    def scrub(value: str) -> str:
        return pattern.sub(HIDDEN, value or "") if pattern else (value or "")

    return scrub


def neutral_name(n: int, item_id: str, kind: str) -> str:
    """A file name that says nothing of the school: `材料3_A1.2.1.pdf`."""
    return f"材料{n}_{item_id}.{kind}"


def _title(value: str, path: str = "title") -> str:
    text = (value or "").strip()
    if not text or len(text) > 100:
        raise InputError([Problem("store.bad_text", {"found": text, "max": 100}, path=path)])
    return text


def _text(value: str) -> str:
    return (value or "").strip()[:MAX_TEXT]


def _check_panel_lead(session: Session, user_id: int | None) -> None:
    if user_id is None:
        return
    user = session.get(UserRow, user_id)
    if user is None or user.role != Role.INSPECTOR or not user.active:
        raise InputError([Problem("store.not_inspector", {"found": user_id}, path="panel_lead")])


def _case_row(session: Session, case_id: int, lock: bool = False) -> CalibrationCaseRow:
    row = session.get(CalibrationCaseRow, case_id, with_for_update=lock)
    if row is None:
        raise NotFound(what=f"case {case_id}")
    return row


def _round_row(session: Session, round_id: int, lock: bool = False) -> CalibrationRoundRow:
    row = session.get(CalibrationRoundRow, round_id, with_for_update=lock)
    if row is None:
        raise NotFound(what=f"round {round_id}")
    return row


def _check_round_view(me: User, row: CalibrationRoundRow) -> None:
    if me.role in MANAGERS:
        return
    if me.role != Role.INSPECTOR or me.id not in (row.inspector_ids or []):
        raise PermissionDenied(VIEW)


def _invited_case_ids(session: Session, user_id: int, closed_only: bool = False) -> set[int]:
    out: set[int] = set()
    for r in session.scalars(select(CalibrationRoundRow)):
        if user_id in (r.inspector_ids or []) and (r.status == "closed" or not closed_only):
            out |= set(r.case_ids or [])
    return out


def _case_ids_in_rounds(session: Session) -> set[int]:
    return {int(c) for ids in session.scalars(select(CalibrationRoundRow.case_ids)) for c in ids or []}


def _may_set_master(me: User, row: CalibrationCaseRow) -> bool:
    return me.role in MANAGERS or (me.role == Role.INSPECTOR and row.panel_lead_id == me.id)


def _check_master_right(me: User, row: CalibrationCaseRow) -> None:
    if not _may_set_master(me, row):
        raise PermissionDenied(MASTER)


def _check_case_view(session: Session, me: User, row: CalibrationCaseRow) -> None:
    if _may_set_master(me, row):
        return
    if me.role == Role.INSPECTOR and row.id in _invited_case_ids(session, me.id):
        return
    raise PermissionDenied(VIEW)


def _used_in_closed_round(session: Session, case_id: int) -> bool:
    query = select(CalibrationRoundRow.case_ids).where(CalibrationRoundRow.status == "closed")
    return any(case_id in (ids or []) for ids in session.scalars(query))


def _master_problems(
    framework: Framework, stages: str, levels: Mapping[str, str], *, complete: bool, path: str
) -> list[Problem]:
    out = []
    for item, code, found in master_problems(framework, stages.split(";"), dict(levels), complete=complete):
        out.append(Problem(f"calibration.master.{code}", {"found": found or item}, path=f"{path}.{item}"))
    return out


def _apply_master(
    area: Calibration,
    session: Session,
    me: User,
    row: CalibrationCaseRow,
    levels: Mapping[str, tuple[str, str] | None],
    path_prefix: str,
) -> None:
    """Merge master levels into the case (checked, audited); refused once a closed round used the case."""
    framework = area.ctx.frameworks.version(session, row.framework_version_id)
    given = {i: (str(v[0]).strip().upper(), _text(v[1])) for i, v in levels.items() if v is not None}
    problems = _master_problems(
        framework, row.stages, {i: lv for i, (lv, _) in given.items()}, complete=False, path="master"
    )
    if problems:
        raise InputError(problems)
    if _used_in_closed_round(session, row.id):
        raise InvalidState("calibration.master_locked", case=row.title)
    before = dict(row.master or {})
    master = dict(before)
    for item_id, value in levels.items():
        if value is None:
            master.pop(item_id, None)
        else:
            master[item_id] = {"level": given[item_id][0], "reason": given[item_id][1]}
    if master == before:
        return
    now = area.ctx.clock()
    row.master, row.updated_at = master, now
    session.flush()
    audit.record(session, me, now, "calibration.master", "calibration_case", row.id, before=before, after=master)


def case_record(session: Session, row: CalibrationCaseRow, me: User) -> CalibrationCase:
    """The case as `me` may see it: the master levels only for the panel and for inspectors of a closed round."""
    shown = _may_set_master(me, row) or (
        me.role == Role.INSPECTOR and row.id in _invited_case_ids(session, me.id, True)
    )
    lead = session.get(UserRow, row.panel_lead_id) if row.panel_lead_id else None
    files = tuple(
        CaseFile(n, f["item_id"], f["filename"], int(f["size"]), f["kind"])
        for n, f in enumerate(row.evidence or [], start=1)
    )
    return CalibrationCase(
        id=row.id,
        title=row.title,
        framework_version_id=row.framework_version_id,
        stages=tuple(s for s in row.stages.split(";") if s),
        facts=dict(row.facts or {}),
        items={i: CaseItem(v.get("level", ""), v.get("account", "")) for i, v in (row.items or {}).items()},
        evidence=files,
        master={i: MasterLevel(v["level"], v.get("reason", "")) for i, v in (row.master or {}).items()}
        if shown
        else {},
        master_hidden=not shown,
        panel_lead_id=row.panel_lead_id,
        panel_lead=(lead.display_name or lead.username) if lead else "",
        from_school=row.source_assessment_id is not None and me.role in MANAGERS,
        version=row.version_id,
    )


def round_record(session: Session, row: CalibrationRoundRow) -> CalibrationRound:
    """The plain record of a round."""
    names = _usernames(session)
    ids = tuple(int(i) for i in row.inspector_ids or [])
    return CalibrationRound(
        id=row.id,
        cycle_id=row.cycle_id,
        name=row.name,
        deadline=row.deadline,
        status=row.status,
        case_ids=tuple(int(c) for c in row.case_ids or []),
        inspector_ids=ids,
        inspectors=tuple(names.get(i, "?") for i in ids),
        closed_at=row.closed_at,
    )


def _rating_record(row: CalibrationRatingRow, inspector: str) -> CalibrationRating:
    return CalibrationRating(row.round_id, row.case_id, row.item_id, inspector, row.level, row.finding, row.version_id)


def _usernames(session: Session) -> dict[int, str]:
    return dict(session.execute(select(UserRow.id, UserRow.username).where(UserRow.role == Role.INSPECTOR.value)).all())


def _settings(session: Session) -> CalibrationSettings:
    rule = session.get(CalibrationSettingRow, "rule")
    limits = session.get(CalibrationSettingRow, "limits")
    return CalibrationSettings(
        CertificationRule(**rule.value) if rule is not None else CertificationRule(),
        ConsistencyLimits(**limits.value) if limits is not None else ConsistencyLimits(),
    )


def _results(area: Calibration, session: Session, me: User, row: CalibrationRoundRow) -> RoundResults:
    """Compare the round's ratings with the master levels; an inspector's view keeps only their own rows."""
    names = _usernames(session)
    invited = [names[i] for i in row.inspector_ids or [] if i in names]
    cases = {
        c.id: c
        for c in session.scalars(select(CalibrationCaseRow).where(CalibrationCaseRow.id.in_(row.case_ids or [])))
    }
    master = pd.DataFrame(
        [
            (cid, item, m["level"], m.get("reason", ""))
            for cid in row.case_ids or []
            if cid in cases
            for item, m in (cases[cid].master or {}).items()
        ],
        columns=["case", "item", "level", "reason"],
    )
    query = select(
        CalibrationRatingRow.inspector_id,
        CalibrationRatingRow.case_id,
        CalibrationRatingRow.item_id,
        CalibrationRatingRow.level,
    ).where(CalibrationRatingRow.round_id == row.id)
    found = session.execute(query).all()  # plain rows, not ORM objects: a round holds tens of thousands
    ratings = pd.DataFrame(found, columns=["inspector_id", "case", "item", "level"])
    ratings.insert(0, "rater", ratings.pop("inspector_id").map(names).fillna("?"))
    version = (
        next(iter(cases.values())).framework_version_id
        if cases
        else cycle_row(session, row.cycle_id).framework_version_id
    )
    framework = area.ctx.frameworks.version(session, version)
    result = compare_round(framework, master, ratings, invited)
    missed = result.most_missed(limit=10)
    certs = {c.inspector: c for c in _certifications(session, round_id=row.id)}
    if me.role not in MANAGERS:
        mine = me.username
        result = type(result)(
            result.pairs[result.pairs["rater"] == mine].reset_index(drop=True),
            (mine,),
            result.domains,
            {mine: result.alphas.get(mine, float("nan"))},
        )
        certs = {k: v for k, v in certs.items() if k == mine}
    titles = {cid: c.title for cid, c in cases.items()}
    return RoundResults(round_record(session, row), result, master, titles, version, certs, missed)


def _certifications(session: Session, round_id: int | None = None) -> list[Certification]:
    names = _usernames(session)
    rounds = dict(session.execute(select(CalibrationRoundRow.id, CalibrationRoundRow.name)).all())
    query = select(CertificationRow).order_by(CertificationRow.decided_at, CertificationRow.id)
    if round_id is not None:
        query = query.where(CertificationRow.round_id == round_id)
    return [
        Certification(
            c.inspector_id,
            names.get(c.inspector_id, "?"),
            c.round_id,
            rounds.get(c.round_id, "?"),
            c.certified,
            c.exact,
            c.adjacent,
            c.min_domain,
            c.valid_until,
            c.decided_at,
        )
        for c in session.scalars(query)
    ]


def current_certifications(session: Session, day: date, only: int | None = None) -> dict[str, Certification]:
    """Per inspector: the latest certification valid on `day`, else their latest decision."""
    out: dict[str, Certification] = {}
    for c in _certifications(session):
        if only is not None and c.inspector_id != only:
            continue
        kept = out.get(c.inspector)
        if kept is None or c.valid_on(day) or not kept.valid_on(day):
            out[c.inspector] = c
    return out


def certified_on(session: Session, inspector_id: int, day: date) -> bool:
    """Whether the inspector holds a certification valid on `day`."""
    query = select(CertificationRow.valid_until).where(
        CertificationRow.inspector_id == inspector_id, CertificationRow.certified
    )
    return any(v is not None and day <= v for v in session.scalars(query))


__all__ = ["NA", "Calibration", "certified_on", "current_certifications", "scrubber"]


def _added_case(
    session: Session, me: User, now: datetime, row: CalibrationCaseRow, from_school: bool
) -> CalibrationCase:
    """Store a new case and audit it (one entry, whether it came from a school or from scratch)."""
    session.add(row)
    session.flush()
    after = {"title": row.title, "from_school": from_school, "panel_lead_id": row.panel_lead_id}
    audit.record(session, me, now, "calibration.case.add", "calibration_case", row.id, after=after)
    return case_record(session, row, me)
