"""Saving ratings as they are entered, from the widgets of one item, against the version last read.

Every change of a level, account, evidence verdict or finding calls `save_item` (a widget callback).
The values of the item's widgets are sent together as one edit carrying the rating's version as last
read or saved in this session, so that two changes committed in one rerun do not conflict with each
other, while a change made meanwhile by someone else is refused by the store with who and when.
Text typed where nothing can be saved yet (an account before a level) is kept as a draft in the
session and shown again after a page switch; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from store.errors import ConflictError
from store.records import RaterRole, Rating, RatingEdit
from ui import state
from ui.context import AppCtx
from ui.text import tr

FIELDS = ("level", "account", "verified", "finding")
SAVED = "guide.saved"
"""Session bucket: the items whose last change this session saved (the page shows a quiet cue)."""
ROLE_FIELDS: dict[RaterRole, tuple[str, ...]] = {
    RaterRole.SELF: ("level", "account"),
    RaterRole.INSPECTOR: ("level", "verified", "finding"),
    RaterRole.CONSENSUS: ("level",),
}


@dataclass(frozen=True)
class Known:
    """A rating as last read or saved by this session (version None: none stored)."""

    version: int | None = None
    level: str | None = None
    account: str = ""
    verified: bool | None = None
    finding: str = ""


def widget_key(role: RaterRole | str, field: str, assessment_id: int, item_id: str) -> str:
    """The session key of one widget of an item."""
    return f"{RaterRole(role).value}.{field}.{assessment_id}.{item_id}"


def _item_key(role: RaterRole, assessment_id: int, item_id: str) -> str:
    return f"{role.value}.{assessment_id}.{item_id}"


def known_of(rating: Rating | None) -> Known:
    """What a stored rating holds."""
    if rating is None:
        return Known()
    return Known(rating.version, rating.level, rating.account, rating.evidence_verified, rating.finding)


def remember(
    role: RaterRole, assessment_id: int, ratings: Iterable[Rating], item_ids: Iterable[str]
) -> dict[str, Known]:
    """Record the stored ratings of `role` just read for the items (missing ones as none) and return them."""
    stored = {r.item_id: r for r in ratings}
    known = state.bucket(state.KNOWN)
    out = {}
    for item_id in item_ids:
        out[item_id] = known_of(stored.get(item_id))
        known[_item_key(role, assessment_id, item_id)] = out[item_id]
    return out


def init_widgets(role: RaterRole, assessment_id: int, item_id: str, known: Known) -> None:
    """Give the item's widgets their starting values: a draft typed earlier, else what is stored."""
    session = state.session()
    drafts = state.bucket(state.DRAFTS)
    for field in ROLE_FIELDS[role]:
        key = widget_key(role, field, assessment_id, item_id)
        if key not in session:
            session[key] = drafts.get(key, getattr(known, field))


def draft_of(role: RaterRole, assessment_id: int, item_id: str) -> bool:
    """Whether the item has typed text not saved yet."""
    drafts = state.bucket(state.DRAFTS)
    return any(widget_key(role, f, assessment_id, item_id) in drafts for f in FIELDS)


def save_item(ctx: AppCtx, assessment_id: int, role: RaterRole, item_id: str) -> None:
    """Widget callback: save the item's widget values as the user's rating in `role`."""
    known = state.bucket(state.KNOWN).get(_item_key(role, assessment_id, item_id), Known())
    wanted = _widget_values(role, assessment_id, item_id, known)
    if wanted == replace(known, version=wanted.version):
        _forget_drafts(role, assessment_id, item_id)
    elif wanted.level is None and known.version is None:  # nothing stored, nothing to store yet
        _hold(role, assessment_id, item_id, wanted)
    else:
        _save(ctx, assessment_id, role, item_id, wanted)


def _hold(role: RaterRole, assessment_id: int, item_id: str, wanted: Known) -> None:
    """Keep text typed before a level as a draft, and say why it is not saved yet."""
    if wanted.account or wanted.finding:
        _keep_drafts(role, assessment_id, item_id)
        state.flash("info", tr("app.autosave.need_level", item=item_id))


def _save(ctx: AppCtx, assessment_id: int, role: RaterRole, item_id: str, wanted: Known) -> None:
    """Send one edit against the version known; a refusal keeps the typed text as a draft."""
    edit = RatingEdit(item_id, wanted.level, wanted.account, wanted.verified, wanted.finding, wanted.version)
    try:
        saved = ctx.services.ratings.save(ctx.user, assessment_id, role, [edit])
    except Exception as error:
        _keep_drafts(role, assessment_id, item_id)
        if isinstance(error, ConflictError):  # show the stored level again; the text stays as typed
            state.session().pop(widget_key(role, "level", assessment_id, item_id), None)
        raise
    state.bucket(state.KNOWN)[_item_key(role, assessment_id, item_id)] = known_of(saved[0] if saved else None)
    state.bucket(SAVED)[_item_key(role, assessment_id, item_id)] = True
    _forget_drafts(role, assessment_id, item_id)


def was_saved(role: RaterRole, assessment_id: int, item_id: str) -> bool:
    """Whether this session's last change of the item was saved (and nothing typed since waits as a draft)."""
    return bool(state.bucket(SAVED).get(_item_key(role, assessment_id, item_id))) and not draft_of(
        role, assessment_id, item_id
    )


def _widget_values(role: RaterRole, assessment_id: int, item_id: str, known: Known) -> Known:
    session = state.session()
    values = {field: getattr(known, field) for field in FIELDS}
    for field in ROLE_FIELDS[role]:
        key = widget_key(role, field, assessment_id, item_id)
        if key in session:
            values[field] = session[key]
    return Known(
        known.version,
        values["level"] or None,
        str(values["account"] or ""),
        values["verified"],
        str(values["finding"] or ""),
    )


def _keep_drafts(role: RaterRole, assessment_id: int, item_id: str) -> None:
    state.bucket(SAVED).pop(_item_key(role, assessment_id, item_id), None)
    session, drafts = state.session(), state.bucket(state.DRAFTS)
    for field in ("account", "finding"):
        key = widget_key(role, field, assessment_id, item_id)
        if session.get(key):
            drafts[key] = session[key]


def _forget_drafts(role: RaterRole, assessment_id: int, item_id: str) -> None:
    drafts = state.bucket(state.DRAFTS)
    for field in FIELDS:
        drafts.pop(widget_key(role, field, assessment_id, item_id), None)
