"""The Word writers produce exactly the parts they produced before they were made fast (issue 13).

`data/docx_golden.json` holds the sha256 of every canonical XML part of every document kind, for two demo
schools in Chinese and English, final and provisional, as the python-docx writers made them. Regenerate it
(`python -m tests.reports.docx_oracle --write tests/reports/data/docx_golden.json`) only for a change of
the documents' content or layout that is meant, and say so in the commit.
"""

from __future__ import annotations

import json

from tests.reports.docx_oracle import GOLDEN, digests


def test_every_part_of_every_document_is_unchanged() -> None:
    golden = json.loads(GOLDEN.read_text())
    now = digests()
    assert sorted(now) == sorted(golden)
    changed = [
        f"{doc}: {part}"
        for doc, parts in golden.items()
        for part in sorted(set(parts) | set(now[doc]))
        if parts.get(part) != now[doc].get(part)
    ]
    assert not changed, "parts that differ from the golden file:\n" + "\n".join(changed)
