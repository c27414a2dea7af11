"""Catalog entries of the app layer, Chinese first, English second."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {}
