"""The .docx package: a styled base document made once per process, each document a copy, saved by hand.

Why: python-docx opens its default template and restyles it for every document (~10 ms), and its save
serializes and compresses every part again (~7 ms), the 350 KB styles and 440 KB stylesWithEffects
included, though only the body, its headers and footers differ from one document to the next.

`freeze` keeps every XML part of the base document that our writers do not change after `new_document`
(styles, settings, numbering, core properties) as its bytes, so that a copy of the base shares them
and saving needs neither to serialize nor to compress them again; a caller that does change one (a test
restyling `doc.styles`) gets it parsed on first access and saved from its XML. `package_bytes` writes
the zip: the same part names, content types and relationships as python-docx's save.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from functools import lru_cache

from docx.document import Document as DocumentObject
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
from docx.opc.part import Part, XmlPart
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.document import DocumentPart
from docx.parts.hdrftr import FooterPart, HeaderPart

LIVE_PARTS = (DocumentPart, HeaderPart, FooterPart)  # what a writer fills in; everything else is frozen
MADE_BY = (3 << 8) | 20  # Unix, zip 2.0 (as zipfile writes)
LEVEL = 6  # zlib's default, as zipfile's
DOS_DATE = (0, (1 << 5) | 1)  # 00:00 on 1980-01-01: the same bytes for the same document
_COMPRESSED: dict[bytes, tuple[int, bytes]] = {}  # the frozen parts' blobs, compressed once


class FrozenXml:
    """An XML part kept as its bytes; parsed only if a writer asks for its XML, and saved from it then."""

    _frozen: bytes

    @property
    def _element(self) -> BaseOxmlElement:
        element = self.__dict__.get("_thawed")
        if element is None:
            element = self.__dict__["_thawed"] = parse_xml(self._frozen)
        return element

    @property
    def frozen(self) -> bool:
        """Whether the part still holds the base document's bytes (nobody asked for its XML)."""
        return "_thawed" not in self.__dict__

    @property
    def blob(self) -> bytes:
        return self._frozen if self.frozen else serialize_part_xml(self._element)


@lru_cache(maxsize=16)
def _frozen_class(cls: type[XmlPart]) -> type:
    return type(f"Frozen{cls.__name__}", (FrozenXml, cls), {})


def _frozen_part(part: XmlPart) -> XmlPart:
    """The same part (class, name, relationships) holding its serialized XML instead of the tree."""
    frozen = object.__new__(_frozen_class(type(part)))
    frozen.__dict__.update({k: v for k, v in part.__dict__.items() if k != "_element"})
    frozen.__dict__["_frozen"] = part.blob
    return frozen


def freeze(doc: DocumentObject) -> None:
    """Keep every XML part but the body, its headers and footers as bytes (see the module's docstring)."""
    for source in [doc.part.package, *doc.part.package.iter_parts()]:
        rels = source.rels
        for rel in rels.values():
            part = None if rel.is_external else rel.target_part
            if not isinstance(part, XmlPart) or isinstance(part, (*LIVE_PARTS, FrozenXml)):
                continue
            frozen = _frozen_part(part)
            rel._target = frozen
            rels._target_parts_by_rId[rel.rId] = frozen


def _unchanged(part: Part) -> bool:
    """A part whose bytes are those of the base document (compressed once per process)."""
    return type(part) is Part or getattr(part, "frozen", False)


def package_bytes(doc: DocumentObject) -> bytes:
    """The document as .docx bytes, with the parts and relationships python-docx's save writes."""
    package = doc.part.package
    parts = list(package.iter_parts())
    entries = [
        (CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob, False),
        (PACKAGE_URI.rels_uri.membername, package.rels.xml, False),
    ]
    for part in parts:
        entries.append((part.partname.membername, part.blob, _unchanged(part)))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml, False))
    return zip_bytes(entries)


def zip_bytes(entries: Iterable[tuple[str, bytes, bool]]) -> bytes:
    """A deflated zip of (name, data, cache) entries; `cache`: data seen again in later documents."""
    out, central = bytearray(), bytearray()
    count = 0
    for name, data, cache in entries:
        crc, packed = _compressed(data) if cache else _deflate(data)
        raw_name = name.encode("utf-8")
        flags = 0 if name.isascii() else 0x800  # UTF-8 names
        common = (flags, 8, *DOS_DATE, crc, len(packed), len(data), len(raw_name))
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", MADE_BY, 20, *common, 0, 0, 0, 0, 0o600 << 16, len(out))
        central += raw_name
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, *common, 0) + raw_name + packed
        count += 1
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central), len(out), 0)
    return bytes(out + central + end)


def _deflate(data: bytes) -> tuple[int, bytes]:
    """The CRC-32 and raw deflate stream of `data` (what zipfile's ZIP_DEFLATED stores)."""
    packer = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    return zlib.crc32(data), packer.compress(data) + packer.flush()


def _compressed(data: bytes) -> tuple[int, bytes]:
    """`_deflate` of a frozen part, computed once per process (a bytes object caches its own hash)."""
    found = _COMPRESSED.get(data)
    if found is None:
        if len(_COMPRESSED) > 64:  # frozen parts are few; anything else is not worth keeping
            _COMPRESSED.clear()
        found = _COMPRESSED[data] = _deflate(data)
    return found
