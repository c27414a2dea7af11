"""A second process for the store tests: writes ratings in a loop, or starts an import and waits to be killed.

python store_worker.py rate URL USERNAME ASSESSMENT_ID ITEM COUNT GO_FILE
python store_worker.py import-and-hang URL CYCLE_ID CSV
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from storekit import FAST_HASHER

from store.engine import make_engine
from store.errors import ConflictError
from store.records import SYSTEM, RaterRole, RatingEdit
from store.services import Services


def services(url: str) -> Services:
    return Services(make_engine(url), evidence_dir=Path("evidence-unused"), hasher=FAST_HASHER)


def rate(url: str, username: str, assessment_id: int, items: list[str], count: int, go: Path) -> None:
    """Save COUNT ratings over ITEMS in turn, each from a fresh read; a conflict is retried from a new read."""
    sv = services(url)
    me = sv.accounts.by_username(SYSTEM, username)
    print("ready", flush=True)
    while not go.exists():  # start together with the other process
        time.sleep(0.005)
    done = conflicts = written = 0
    while done < count:
        item = items[done % len(items)]
        mine = [r for r in sv.ratings.list_ratings(me, assessment_id) if r.rater == username and r.item_id == item]
        version = mine[0].version if mine else None
        edit = RatingEdit(
            item, "Y" if item == "i2" else "ABC"[done % 3], finding=f"{username} {done}", expected_version=version
        )
        try:
            written += len(sv.ratings.save(me, assessment_id, RaterRole.INSPECTOR, [edit]))
            done += 1
        except ConflictError:
            conflicts += 1
    print(f"{done} {conflicts} {written}", flush=True)


def import_and_hang(url: str, cycle_id: int, csv: str) -> None:
    def progress(rows: int) -> None:
        print(f"written {rows}", flush=True)
        time.sleep(60)  # the test kills this process now, mid-transaction

    services(url).imports.ratings(SYSTEM, cycle_id, Path(csv), progress=progress, chunk_size=2)
    print("finished", flush=True)


if __name__ == "__main__":
    mode, url, *args = sys.argv[1:]
    if mode == "rate":
        rate(url, args[0], int(args[1]), args[2].split(","), int(args[3]), Path(args[4]))
    else:
        import_and_hang(url, int(args[0]), args[1])
