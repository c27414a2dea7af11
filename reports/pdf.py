"""Word documents to PDF with LibreOffice headless, where it is installed.

Each conversion runs `soffice` in a fresh profile folder (a running LibreOffice or a concurrent
conversion does not interfere) with a timeout, and with `reports/fonts.conf` as the fontconfig file, so
that the official fonts the documents declare (仿宋_GB2312, 黑体, ...) render with Noto CJK at the same
widths. Without LibreOffice, or when it fails, a catalog message says so (`InputError`: the command and
the app show it in the user's language, and nothing is written).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from i18n.problems import InputError, Problem

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
TIMEOUT_S = 120.0


def soffice() -> str | None:
    """The LibreOffice command, if installed (XINYU_SOFFICE may name another one)."""
    return shutil.which(os.environ.get("XINYU_SOFFICE", "soffice"))


def pdf_available() -> bool:
    """Whether documents can be converted to PDF here."""
    return soffice() is not None


def render_env(home: Path) -> dict[str, str]:
    """The environment of a conversion: our font substitution, a private home folder."""
    return {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(home)}


def docx_to_pdf(data: bytes, timeout: float = TIMEOUT_S, name: str = "document") -> bytes:
    """The PDF of a .docx document, rendered by LibreOffice; InputError where that is not possible."""
    command = soffice()
    if command is None:
        raise InputError([Problem("documents.pdf.unavailable", {})])
    with tempfile.TemporaryDirectory(prefix="xinyu-pdf-") as folder:
        work = Path(folder)
        source = work / f"{name}.docx"
        source.write_bytes(data)
        args = [
            command,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        process = subprocess.Popen(
            args,
            env=render_env(work),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a timeout ends soffice.bin too
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise InputError([Problem("documents.pdf.timeout", {"seconds": f"{timeout:g}"})]) from None
        target = work / f"{name}.pdf"
        if process.returncode != 0 or not target.exists():
            reason = (err or b"").decode("utf-8", "replace").strip()[:200] or f"exit {process.returncode}"
            raise InputError([Problem("documents.pdf.failed", {"reason": reason})])
        return target.read_bytes()
