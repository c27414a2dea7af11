"""Output-unchanged oracle for the Word writers: every document kind, its parts as canonical XML.

`documents()` builds each kind (inspection, self, feedback, action plan, calibration) for fixed demo
contexts in Chinese and English, final and provisional; `canonical_parts()` gives each zip part as C14N
XML (so that attribute order, namespace prefixes and zip compression do not count), `docProps/core.xml`
left out (python-docx stamps it). `digests()` is what `data/docx_golden.json` stores.

    python -m tests.reports.docx_oracle --write tests/reports/data/docx_golden.json   # a new golden file
    python -m tests.reports.docx_oracle --dump /tmp/docx_base                          # parts as files
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from criteria import load_framework
from reports.action_plan_docx import action_plan_docx
from reports.calibration_report import calibration_docx
from reports.context import ReportContext, TeamMember, notes_from_ratings
from reports.feedback_docx import feedback_docx
from reports.inspection_docx import inspection_report_docx
from reports.self_docx import self_report_docx
from scoring import read_facts, read_ratings, score_district
from tests.reports.test_calibration_report import hand_computed_report

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "sample_data" / "demo"
GOLDEN = Path(__file__).parent / "data" / "docx_golden.json"
SKIPPED = ("docProps/core.xml",)
WRITERS: dict[str, Callable[[ReportContext, str], bytes]] = {
    "inspection": inspection_report_docx,
    "self": self_report_docx,
    "feedback": feedback_docx,
    "plan": action_plan_docx,
}


def contexts(n: int = 2) -> list[ReportContext]:
    """The `n` inspected demo schools with the most failed conditions, with a team, dates and notes."""
    fw = load_framework()
    facts = read_facts(DEMO / "facts.csv")
    ratings = read_ratings(DEMO / "ratings.csv", fw, facts.index)
    result = score_district(fw, facts, ratings)
    inspected = [c for c in result.schools if result.inspection.present[result.row(c)]]
    codes = sorted(inspected, key=lambda c: (-len(result.reasons(c, "inspection")), str(c)))[:n]
    team = (TeamMember("王立群", lead=True), TeamMember("李慧敏"), TeamMember("张建国"))
    return [
        ReportContext(
            result,
            str(code),
            "2025学年",
            team=team,
            visit_dates=(date(2025, 11, 3), date(2025, 11, 4)),
            notes=notes_from_ratings(ratings, code),
            issued=date(2025, 11, 20),
            district="长宁区",
            reviewer="赵复核" if k == 0 else "",
        )
        for k, code in enumerate(codes)
    ]


def documents() -> Iterator[tuple[str, bytes]]:
    """Every document kind for each context, language and finality, named `kind/school/lang/final`."""
    for ctx in contexts():
        for final in (True, False):
            variant = dataclasses.replace(ctx, final=final)
            for lang in ("zh", "en"):
                state = "final" if final else "provisional"
                for kind, writer in WRITERS.items():
                    yield f"{kind}/{ctx.school_code}/{lang}/{state}", writer(variant, lang)
    rep = hand_computed_report()
    for lang in ("zh", "en"):
        yield f"calibration/{lang}", calibration_docx(rep, lang)


def canonical_parts(data: bytes) -> dict[str, bytes]:
    """Each XML part of a .docx as C14N bytes (other parts as they are), core properties left out."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(archive.namelist()):
            if name in SKIPPED:
                continue
            raw = archive.read(name)
            is_xml = name.endswith((".xml", ".rels"))
            parts[name] = etree.tostring(etree.fromstring(raw), method="c14n") if is_xml else raw
    return parts


def digests() -> dict[str, dict[str, str]]:
    """sha256 of each canonical part of each document."""
    return {
        name: {part: hashlib.sha256(xml).hexdigest() for part, xml in canonical_parts(data).items()}
        for name, data in documents()
    }


def dump(folder: Path) -> None:
    """Every canonical part as a file (to diff two versions of the writers)."""
    for name, data in documents():
        for part, xml in canonical_parts(data).items():
            path = folder / name / part
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(xml)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the digests as JSON here")
    parser.add_argument("--dump", type=Path, help="write every canonical part under this folder")
    args = parser.parse_args()
    if args.write:
        args.write.write_text(json.dumps(digests(), indent=1, sort_keys=True) + "\n")
    if args.dump:
        dump(args.dump)


if __name__ == "__main__":
    main()
