"""A corpus of hostile files, generated (never stored): bytes, YAML, CSV, xlsx and evidence uploads.

Each generator takes a valid example of the door's format and a seeded random source and returns
(name, bytes) pairs: the valid file broken in the ways that parsers meet in the wild (truncated,
re-encoded, nested, bombed, filled with NUL bytes, huge numbers, formula text, ...) together with
files that have nothing to do with the format at all.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable

Case = tuple[str, bytes]


def junk(rng: random.Random) -> list[Case]:
    """Files of no format: empty, random, NUL, control characters, other encodings, other formats."""
    return [
        ("empty", b""),
        ("one_byte", b"\x00"),
        ("random_small", rng.randbytes(17)),
        ("random_4k", rng.randbytes(4096)),
        ("nul_run", b"\x00" * 5000),
        ("controls", bytes(range(32)) * 20),
        ("bom_only", b"\xef\xbb\xbf"),
        ("utf16_bom", "名称,值\n甲,1\n".encode("utf-16")),
        ("latin1", "café;naïve\n\xff\xfe".encode("latin-1")),
        ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"),
        ("png", b"\x89PNG\r\n\x1a\n" + rng.randbytes(64)),
        ("zip_empty", _zip({})),
        ("zip_header_only", b"PK\x03\x04" + rng.randbytes(40)),
        ("html", b"<html><script>alert(1)</script></html>"),
        ("long_line", b"A" * 300_000),
        ("surrogates", "\ud800\udc00".encode("utf-8", "surrogatepass")),
    ]


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def truncations(valid: bytes, rng: random.Random, n: int = 6) -> list[Case]:
    """The valid file cut off at random places (and at a few fixed ones)."""
    cuts = sorted({1, 10, len(valid) // 2, len(valid) - 1, *(rng.randrange(1, max(2, len(valid))) for _ in range(n))})
    return [(f"truncated_{c}", valid[:c]) for c in cuts if 0 < c < len(valid)]


def mutations(valid: bytes, rng: random.Random, n: int = 6) -> list[Case]:
    """The valid file with random bytes overwritten, inserted or deleted."""
    cases = []
    for i in range(n):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 20)):
            at = rng.randrange(len(data))
            op = rng.choice(("flip", "insert", "delete"))
            if op == "flip":
                data[at] = rng.randrange(256)
            elif op == "insert":
                data[at:at] = rng.randbytes(rng.randint(1, 8))
            else:
                del data[at : at + rng.randint(1, 8)]
        cases.append((f"mutated_{i}", bytes(data)))
    return cases


def yaml_cases(valid: bytes, rng: random.Random) -> list[Case]:
    """Framework YAML: bombs, huge numbers, nesting, tags, encodings, and the valid one broken."""
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12)
    )
    text = valid.decode("utf-8")
    cases = [
        ("billion_laughs", laughs.encode()),
        ("laughs_in_framework", (laughs + text).encode()),
        ("many_anchors", "".join(f"k{i}: &x{i} v\n" for i in range(200)).encode()),
        ("merge_keys", ("base: &b {x: 1}\n" + "".join(f"m{i}: {{<<: *b}}\n" for i in range(100))).encode()),
        ("digits_5000", f"id: x\ntotal_points: {'9' * 5000}\n".encode()),
        ("digits_in_framework", re.sub(r"total_points: *\d+", "total_points: " + "1" * 5000, text).encode()),
        ("hex_digits", ("total_points: 0x" + "f" * 6000).encode()),
        ("float_huge", b"total_points: 1e99999\n"),
        ("float_nan", re.sub(r"total_points: *\d+", "total_points: .nan", text).encode()),
        ("deep_lists", b"[" * 5000 + b"]" * 5000),
        ("deep_maps", ("a: " * 1 + "{a: " * 3000 + "}" * 3000).encode()),
        ("deep_block", "".join("  " * i + "k:\n" for i in range(300)).encode()),
        ("python_tag", b"!!python/object/apply:os.system ['echo pwned']\n"),
        ("binary_tag", b"id: !!binary aGVsbG8=\n"),
        ("set_tag", b"!!set {a, b}\n"),
        ("timestamp", b"id: 2001-12-14t21:59:43.10-05:00\n"),
        ("list_top", b"- 1\n- 2\n"),
        ("scalar_top", b"just text\n"),
        ("null_top", b"~\n"),
        ("two_docs", (text + "\n---\n" + text).encode()),
        ("nul_inside", text[:500].encode() + b"\x00" + text[500:].encode()),
        ("gbk", text.encode("gb18030")),
        ("utf16", text.encode("utf-16")),
        ("tabs", text.replace("  ", "\t").encode()),
        ("repeated_key", (text + "\nid: again\n").encode()),
        ("formula_text", re.sub(r"(\n\s*zh: )", r"\1'=cmd|\"/c calc\"!A1' ", text, count=3).encode()),
        ("long_string", ("id: " + "x" * 200_000 + "\n").encode()),
        ("too_large", b"# " + b"x" * (3 * 1024 * 1024)),
        ("unicode_keys", "\u202eid: x\n名字: 值\n".encode()),
        ("cycle_merge", b"a: &a\n  b: *a\n"),
    ]
    lines = text.splitlines(keepends=True)
    for i in range(4):
        kept = [line for line in lines if rng.random() > 0.05 * (i + 1)]
        cases.append((f"lines_dropped_{i}", "".join(kept).encode()))
    cases += truncations(valid, rng) + mutations(valid, rng) + junk(rng)
    return cases


def csv_cases(valid: bytes, rng: random.Random, required: tuple[str, ...]) -> list[Case]:
    """A CSV door: columns missing or doubled, cells broken, encodings, formula text, huge numbers."""
    text = valid.decode("utf-8-sig")
    header, *rows = text.splitlines()
    first = rows[0].split(",")
    cases = [
        ("header_only", (header + "\n").encode()),
        ("no_header", "\n".join(rows[:5]).encode()),
        ("doubled_header", (header + "," + header + "\n" + "\n".join(rows[:3])).encode()),
        ("extra_column", (header + ",extra\n" + "\n".join(r + ",1" for r in rows[:3])).encode()),
        ("ragged", (header + "\n" + rows[0] + ",1,2,3,4\n" + rows[1][:5] + "\n").encode()),
        ("quote_open", (header + "\n" + '"' + rows[0] + "\n").encode()),
        ("nul_cells", (header + "\n" + rows[0].replace(",", ",\x00", 2) + "\n").encode()),
        (
            "formula_cells",
            (header + "\n" + ",".join(["=1+1", "+cmd", "-2+3", "@SUM(A1)"] * len(first))[:2000] + "\n").encode(),
        ),
        ("digits_5000", (header + "\n" + ",".join(["9" * 5000] * len(first)) + "\n").encode()),
        (
            "inf_nan",
            (header + "\n" + ",".join(["inf", "nan", "1e309", "-0"] * len(first))[: len(rows[0]) * 4] + "\n").encode(),
        ),
        ("gbk", text.encode("gb18030")),
        ("utf16_tabs", text.replace(",", "\t").encode("utf-16")),
        ("cr_only", text.replace("\n", "\r").encode()),
        ("semicolons", text.replace(",", ";").encode()),
        ("bom_twice", b"\xef\xbb\xbf\xef\xbb\xbf" + valid),
        ("wide", (",".join(f"c{i}" for i in range(5000)) + "\n" + ",".join("1" for _ in range(5000)) + "\n").encode()),
        ("many_blank_lines", (header + "\n" + "\n" * 5000).encode()),
        ("html_text", (header + "\n" + ",".join(["<script>x</script>"] * len(first)) + "\n").encode()),
        ("bidi_text", (header + "\n" + rows[0].replace(",", ",\u202e", 1) + "\n").encode()),
        ("duplicate_rows", (header + "\n" + "\n".join([rows[0]] * 3) + "\n").encode()),
    ]
    for column in required:
        names = header.split(",")
        if column in names:
            k = names.index(column)
            kept = [",".join(c for j, c in enumerate(line.split(",")) if j != k) for line in [header, *rows[:5]]]
            cases.append((f"without_{column}", "\n".join(kept).encode()))
    cases += truncations(valid, rng, 3) + mutations(valid, rng, 4) + junk(rng)
    return cases


def rewrite(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The zip with each part replaced by `change(name, content)` (None drops the part)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            new = change(info.filename, source.read(info))
            if new is not None:
                archive.writestr(info.filename, new)
    return out.getvalue()


def wps_dimension(data: bytes) -> bytes:
    """The workbook as WPS saves it: every sheet claiming the dimension A1:A1 whatever its size."""
    return rewrite(
        data,
        lambda name, b: (
            re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:A1"/>', b)
            if name.startswith("xl/worksheets/")
            else b
        ),
    )


def xlsx_cases(valid: bytes, rng: random.Random) -> list[Case]:
    """An xlsx door: damaged parts, missing parts, bombs, hostile XML, huge numbers, and plain junk."""
    names = zipfile.ZipFile(io.BytesIO(valid)).namelist()
    sheet = next(n for n in names if n.startswith("xl/worksheets/sheet"))
    cases: list[Case] = []
    for part in ("xl/styles.xml", "xl/workbook.xml", "xl/sharedStrings.xml", sheet, "[Content_Types].xml",
                 "xl/_rels/workbook.xml.rels"):  # fmt: skip
        if part not in names:
            continue
        for label, junk_xml in (("empty", b""), ("garbage", b"\x00garbage<<"), ("unclosed", b"<a><b>")):
            cases.append(
                (
                    f"{label}_{part.rsplit('/', 1)[-1]}",
                    rewrite(valid, lambda n, b, p=part, j=junk_xml: j if n == p else b),
                )
            )
        cases.append((f"without_{part.rsplit('/', 1)[-1]}", rewrite(valid, lambda n, b, p=part: None if n == p else b)))
    entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><x>&b;</x>'
    cases += [
        ("entity_bomb", rewrite(valid, lambda n, b: entity if n == sheet else b)),
        (
            "external_entity",
            rewrite(
                valid,
                lambda n, b: (
                    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
                    if n == "xl/sharedStrings.xml"
                    else b
                ),
            ),
        ),
        (
            "digits_cell",
            rewrite(
                valid,
                lambda n, b: re.sub(rb"<v>[^<]*</v>", b"<v>" + b"9" * 5000 + b"</v>", b, count=5) if n == sheet else b,
            ),
        ),
        (
            "formula_cells",
            rewrite(
                valid,
                lambda n, b: (
                    re.sub(rb"<v>([^<]*)</v>", rb"<f>HYPERLINK(\"http://x\")</f><v>\1</v>", b, count=5)
                    if n == sheet
                    else b
                ),
            ),
        ),
        ("nul_in_xml", rewrite(valid, lambda n, b: b.replace(b"<row", b"\x00<row", 1) if n == sheet else b)),
        (
            "huge_row_number",
            rewrite(valid, lambda n, b: re.sub(rb'r="(\d+)"', b'r="1048577"', b, count=3) if n == sheet else b),
        ),
        ("wps_dimension_broken", wps_dimension(rewrite(valid, lambda n, b: b[: len(b) // 2] if n == sheet else b))),
        ("zip_bomb", _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"0" * (60 * 1024 * 1024)})),
        ("many_entries", _zip({f"x/{i}.xml": b"<x/>" for i in range(1200)})),
        ("nested_zip", _zip({"inner.xlsx": valid})),
        ("docx_not_xlsx", _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})),
        (
            "gbk_sheet",
            rewrite(
                valid, lambda n, b: b.decode("utf-8", "replace").encode("gb18030") if n == "xl/sharedStrings.xml" else b
            ),
        ),
    ]
    cases += truncations(valid, rng, 4) + mutations(valid, rng, 3) + junk(rng)
    return cases


def ooxml(kind: str, macro: str = "") -> bytes:
    """A minimal Office document (docx, xlsx, pptx), optionally macro-enabled: a VBA part or a macro content type."""
    main = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}[kind]
    types = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    if macro == "type":
        content = {
            "docx": "ms-word.document.macroEnabled.main+xml",
            "xlsx": "ms-excel.sheet.macroEnabled.main+xml",
            "pptx": "ms-powerpoint.presentation.macroEnabled.main+xml",
        }[kind]
        types += f'<Override PartName="/{main}" ContentType="application/vnd.{content}"/>'.encode()
    types += b"</Types>"
    parts = {"[Content_Types].xml": types, main: b"<x/>"}
    if macro == "vba":
        parts[main.rsplit("/", 1)[0] + "/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\x00" * 100
    return _zip(parts)


def evidence_cases(rng: random.Random, pdf: bytes) -> list[Case]:
    """Evidence uploads: macro-enabled Office files, disguised types, damaged files and plain junk."""
    cases: list[Case] = []
    for kind, ext in (("docx", "docm"), ("xlsx", "xlsm"), ("pptx", "pptm")):
        cases.append((f"vba_{ext}", ooxml(kind, "vba")))
        cases.append((f"type_{ext}", ooxml(kind, "type")))
    cases += [
        ("exe", b"MZ\x90\x00" + rng.randbytes(200)),
        ("elf", b"\x7fELF" + rng.randbytes(200)),
        ("svg_script", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("html", b"<!doctype html><script>alert(1)</script>"),
        ("gif", b"GIF89a" + rng.randbytes(50)),
        ("zip_plain", _zip({"a.txt": b"hello"})),
        ("zip_no_main", _zip({"[Content_Types].xml": b"<Types/>"})),
        ("ole_doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(500)),
        ("pdf_no_header", pdf[8:]),
        ("too_big", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)),
    ]
    cases += [(n, d) for n, d in junk(rng) if not d.startswith((b"%PDF", b"\x89PNG"))]
    return cases
