"""Every school's failed tier conditions in words, built per distinct failure pattern, not once per school.

`tiers.tier_reasons` words the conditions of one school. Here a failure pattern is a condition (a
tier's score, a veto at the level found, a domain) with the value it shows: each is worded once for
all the schools that share it (a district of 100,000 schools has a few thousand), and the words are
joined condition by condition, in `tier_reasons`'s order, with array operations over the schools
that failed it. The result is exactly the text `DistrictResult.reasons` gives school by school (a
property test holds them equal).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from i18n.catalog import t
from scoring.compiled import UNRATED
from scoring.tiers import below_pair

if TYPE_CHECKING:
    import pyarrow as pa

    from scoring.engine import DistrictResult, ViewScores


def reason_texts(result: DistrictResult, lang: str = "zh") -> np.ndarray:
    """[schools] the failed conditions of each school's official view (inspection, else self), joined."""
    from scoring.buffers import values

    reasons = reason_array(result, lang)
    return np.array(reasons.dictionary.to_pylist(), dtype=object)[values(reasons.indices)]


def reason_array(result: DistrictResult, lang: str = "zh") -> pa.DictionaryArray:
    """The same texts as an arrow dictionary array: each distinct text once, one code per school.

    Writers quote and encode each distinct text once (a generated district of 100,000 schools has
    about 40,000 patterns and 66 MB of reasons in all, which are then never held school by school).
    """
    import pyarrow as pa

    from scoring.buffers import number_array, text_array

    n = len(result.table)
    parts, where = [text_array([t("result.no_ratings", lang)])], np.zeros(n, dtype=np.int32)
    uses_inspection = result.inspection.present
    start = 1
    for view, rows in (
        (result.inspection, np.flatnonzero(uses_inspection)),
        (result.self_view, np.flatnonzero(~uses_inspection & result.self_view.present)),
    ):
        if len(rows):
            texts, pattern = _view_texts(result, view, rows, lang)
            parts += texts
            where[rows] = start + pattern
            start += sum(len(part) for part in texts)
    words = parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
    return pa.DictionaryArray.from_arrays(number_array(where), words)


def _view_texts(
    result: DistrictResult, view: ViewScores, rows: np.ndarray, lang: str
) -> tuple[list[pa.Array], np.ndarray]:
    """The joined reasons of each distinct failure pattern among `rows` in one view, and each row's pattern.

    A pattern is the words a row shows for every condition (none where it is met). The patterns'
    texts are joined by pyarrow, one text column per condition: its words where it failed, nothing
    (null) where it was met, which the join skips. pyarrow drops the rows that are all null from a
    skipping join, so the one pattern that can be (every condition met: the lowest key, pattern 0)
    is not joined but given the empty text. The texts come in parts, for the caller to join once.
    """
    from pyarrow._compute import JoinOptions

    from scoring.buffers import kernel, text_array, text_scalar, texts_of

    conditions = []
    for failed, texts in _conditions(result, view, rows, lang):
        members = np.flatnonzero(failed)
        words, inverse = texts(members)
        codes = np.full(len(rows), -1, dtype=np.int64)
        codes[members] = inverse
        conditions.append((words, codes))
    pattern, first = _patterns(len(rows), [codes for _, codes in conditions], [len(words) for words, _ in conditions])
    all_met = not conditions or all(codes[first[0]] < 0 for _, codes in conditions)
    parts = [text_array([""])] if all_met else []
    joined_first = first[1:] if all_met else first
    if len(joined_first):
        columns = [texts_of(words, codes[joined_first]) for words, codes in conditions]
        options = JoinOptions(null_handling="skip")
        joined = kernel("binary_join_element_wise", *columns, text_scalar(t("result.separator", lang)), options=options)
        if len(joined) != len(joined_first):  # the skipping join must keep every row (none is all null)
            raise AssertionError("reasons joined for a different number of patterns")
        parts.append(joined)
    return parts, pattern


def _patterns(rows: int, codes: list[np.ndarray], sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """[rows] each row's pattern number (rows with the same code in every column share one), each pattern's first row.

    The codes (-1 to size - 1) are read as the digits of one number per row; when the next digit
    would overflow, the numbers so far are renumbered densely first (fewer than the rows).
    """
    key, top = np.zeros(rows, dtype=np.int64), 1
    for column, size in zip(codes, sizes, strict=True):
        radix = size + 1
        if top * radix >= 1 << 62:
            distinct, key = np.unique(key, return_inverse=True)
            key, top = key.reshape(-1).astype(np.int64), len(distinct)
        key *= radix
        key += column + 1
        top *= radix
    _, first, pattern = np.unique(key, return_index=True, return_inverse=True)
    return pattern.reshape(-1).astype(np.int32), first


Texts = Callable[[np.ndarray], tuple[list[str], np.ndarray]]


def _conditions(
    result: DistrictResult, view: ViewScores, rows: np.ndarray, lang: str
) -> list[tuple[np.ndarray, Texts]]:
    """Each condition in the order `tier_reasons` words them: where it failed, and its texts for given rows."""
    compiled = result.compiled
    fw = compiled.framework
    tiers = view.tiers
    out: list[tuple[np.ndarray, Texts]] = []
    for k, tier in enumerate(fw.tiers):
        open_ = ~tiers.reached[rows, k]
        name = tier.name.get(lang)
        if k > 0:
            below = t("tier.below", lang, tier=name, lower=fw.tiers[k - 1].name.get(lang))
            out.append((open_ & ~tiers.reached[rows, k - 1], _constant(below)))
        score = view.score_100[rows]
        out.append(
            (
                open_ & ~tiers.score_ok[rows, k],
                _by_value(score, lambda v, name=name, m=tier.min_score: _score_text(lang, name, v, m)),
            )
        )
        for v, veto in enumerate(tier.vetoes):
            pos = compiled.item_position[veto.item]
            codes = view.levels[rows, pos].astype(np.int64)
            item = f"{veto.item} {fw.item(veto.item).title.get(lang)}"

            def veto_text(
                code: float, pos: int = pos, item: str = item, name: str = name, level: str = veto.min_level
            ) -> str:
                code = int(code)
                actual = (
                    compiled.level_ids[pos][code]
                    if code >= 0
                    else t("level.unrated" if code == UNRATED else "level.na", lang)
                )
                return t("tier.veto", lang, tier=name, item=item, level=level, actual=actual)

            out.append((open_ & ~tiers.veto_ok[k][rows, v], _by_value(codes, veto_text)))
        for d, domain_id in enumerate(compiled.domain_ids):
            domain = f"{domain_id} {fw.domains[d].title.get(lang)}"
            pct = view.domain_pct[rows, d]

            def domain_text(
                value: float, domain: str = domain, name: str = name, m: float = tier.domain_min_pct or 0
            ) -> str:
                shown, minimum = below_pair(value, m)
                return t("tier.domain", lang, tier=name, domain=domain, pct=shown, min=minimum)

            out.append((open_ & ~tiers.domain_ok[rows, k, d], _by_value(pct, domain_text)))
    return [(mask, texts) for mask, texts in out if mask.any()]


def _score_text(lang: str, name: str, value: float, minimum: float) -> str:
    score, shown_min = below_pair(value, minimum)
    return t("tier.score", lang, tier=name, score=score, min=shown_min)


def _constant(text: str) -> Texts:
    return lambda members: ([text], np.zeros(len(members), dtype=np.int64))


def _by_value(values: np.ndarray, word: Callable[[float], str]) -> Texts:
    """The words of the given rows' distinct values (each worded once), and each row's word number."""

    def texts(members: np.ndarray) -> tuple[list[str], np.ndarray]:
        distinct, inverse = np.unique(values[members], return_inverse=True)
        return [word(float(v)) for v in distinct], inverse.reshape(-1)

    return texts
