"""Catalog entries of the store layer, Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
