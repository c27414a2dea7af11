"""One catalog of user-facing text, Chinese first, English second."""

from i18n.catalog import DEFAULT_LANG, LANGS, Lang, t

__all__ = ["DEFAULT_LANG", "LANGS", "Lang", "t"]
