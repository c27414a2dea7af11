"""Benchmark: `xinyu score` end to end against the bureau's spreadsheet recalculated by LibreOffice, same data.

The peer is the workbook a bureau keeps today: one row per school, one column per item holding the
fraction of the level the inspection settled (1, 0.8, 0.6, 0), and SUMPRODUCT formulas for the score,
the vetoes and the tier (written with xlsxwriter, formulas only: LibreOffice headless recalculates
them on load and writes the first sheet as CSV). Ours is the same data in our formats: a 60-item
framework with the same points, vetoes and pass marks, a facts CSV and one consensus row per school
and item. Both run as whole processes, alternately, `--repeats` times (median wall, peak RSS of the
process and its children); then the scores (one decimal) and tiers of every school are compared.

Also: the generated district (`xinyu generate`, three inspectors a school, 38 items) scored end to
end at each of `--growth` sizes, and `xinyu score --help` start-up.

    python benchmarks/bench_cli.py --schools 100000 --repeats 5            # the issue's comparison
    python benchmarks/bench_cli.py --schools 2000 --repeats 5 --growth 1000 10000 100000
    python benchmarks/bench_cli.py --smoke                                  # tiny, what CI runs
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ITEMS = 60
POINTS = np.array([1.5] * 40 + [2.0] * 20)  # 100 points in all
LEVELS = ("A", "B", "C", "D")
FRACTIONS = (1.0, 0.8, 0.6, 0.0)
LEVEL_ODDS = (0.62, 0.3, 0.07, 0.01)
STANDARD, MODEL = 80.0, 90.0  # pass marks
VETO_STANDARD = (0, "B")  # item 1 at least B for a standard school
VETO_MODEL = ((0, "A"), (1, "A"))  # items 1 and 2 at A for a model school
FACTS_ROW = {"students": 600, "grades": 5, "campuses": 1, "staff": 50, "mentors": 40}


@dataclass(frozen=True)
class Run:
    """One whole process: wall seconds, peak resident memory (MB) and CPU seconds (user + system), children included.

    On a shared machine the wall time moves with the others' load; the CPU time much less.
    """

    wall: float
    peak_mb: float
    cpu: float


GNU_TIME = Path("/usr/bin/time")


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run a command to the end; its wall time and peak RSS (children included).

    The peak comes from GNU time when installed: a child forked from this (large) process would
    report this process's memory as its own peak, since the high-water mark survives exec.
    """
    peak_file = cwd / ".peak-rss"
    measured = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(peak_file), *command] if GNU_TIME.exists() else command
    start = time.perf_counter()
    proc = subprocess.Popen(measured, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({proc.returncode}): {proc.stderr.read().decode()[-2000:]}")
    if GNU_TIME.exists():
        peak_kb, user, system = (float(x) for x in peak_file.read_text().split()[-3:])
    else:
        peak_kb, user, system = usage.ru_maxrss, usage.ru_utime, usage.ru_stime
    return Run(wall, peak_kb / 1024, user + system)


def xinyu() -> list[str]:
    """The installed `xinyu` entry point (as a user runs it), else the module."""
    found = Path(sys.executable).with_name("xinyu")
    return [str(found)] if found.exists() else [sys.executable, "-m", "cli.main"]


# --------------------------------------------------------------------------------- the shared data


def levels_of(n: int, seed: int) -> np.ndarray:
    """[schools, items] level codes (0 = A ... 3 = D) settled by the inspection."""
    rng = np.random.default_rng(seed)
    return rng.choice(len(LEVELS), size=(n, ITEMS), p=LEVEL_ODDS).astype(np.int8)


def framework_yaml() -> str:
    """The 60-item framework with the workbook's points, vetoes and pass marks."""
    lines = [
        "schema_version: 1",
        "id: bench-60",
        'version: "1"',
        "name: {zh: 六十项对照框架, en: Sixty-item comparison framework}",
        "total_points: 100",
        "tiers:",
        "  - id: standard",
        "    name: {zh: 达标校, en: Standard school}",
        f"    min_score: {STANDARD:g}",
        f"    vetoes: [{{item: I01, min_level: {VETO_STANDARD[1]}}}]",
        "  - id: model",
        "    name: {zh: 示范校, en: Model school}",
        f"    min_score: {MODEL:g}",
        "    vetoes: [" + ", ".join(f"{{item: I{i + 1:02d}, min_level: {lv}}}" for i, lv in VETO_MODEL) + "]",
        "domains:",
    ]
    for d in range(3):
        lines += [f"  - id: D{d + 1}", f"    title: {{zh: 领域{d + 1}}}", "    indicators:"]
        lines += [f"      - id: B{d + 1}", f"        title: {{zh: 指标{d + 1}}}", "        items:"]
        for i in range(d * 20, d * 20 + 20):
            lines += [
                f"          - id: I{i + 1:02d}",
                f"            title: {{zh: 项目{i + 1}}}",
                f"            clause: 三(一){i + 1}",
                "            method: rubric",
                f"            points: {POINTS[i]:g}",
                "            levels:",
            ]
            lines += [
                f"              - {{id: {lv}, label: {{zh: {lv}}}, fraction: {f:g}}}"
                for lv, f in zip(LEVELS, FRACTIONS, strict=True)
            ]
    return "\n".join(lines) + "\n"


def codes(n: int) -> np.ndarray:
    return np.char.add("S", np.char.zfill(np.arange(1, n + 1).astype(str), 6))


def write_ours(folder: Path, levels: np.ndarray) -> tuple[Path, Path, Path]:
    """framework.yaml, facts.csv and ratings.csv (one consensus row per school and item) of the same data."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = len(levels)
    fw = folder / "framework.yaml"
    fw.write_text(framework_yaml(), encoding="utf-8")
    from scoring.facts import FACT_FIELDS

    school = codes(n)
    facts = pd.DataFrame({"school_code": school, "school_name": np.char.add("学校", school), "stages": "primary"})
    for fact in FACT_FIELDS:
        facts[fact.name] = FACTS_ROW.get(fact.name, 0)
    facts_path = folder / "facts.csv"
    facts.to_csv(facts_path, index=False)
    item_ids = np.array([f"I{i + 1:02d}" for i in range(ITEMS)])
    table = pa.table(
        {
            "school_code": pa.DictionaryArray.from_arrays(np.repeat(np.arange(n, dtype=np.int32), ITEMS), school),
            "item_id": pa.DictionaryArray.from_arrays(np.tile(np.arange(ITEMS, dtype=np.int32), n), item_ids),
            "rater": pa.DictionaryArray.from_arrays(np.zeros(n * ITEMS, dtype=np.int32), ["lead"]),
            "role": pa.DictionaryArray.from_arrays(np.zeros(n * ITEMS, dtype=np.int32), ["consensus"]),
            "level": pa.DictionaryArray.from_arrays(levels.reshape(-1).astype(np.int32), list(LEVELS)),
        }
    )
    ratings_path = folder / "ratings.csv"
    options = pacsv.WriteOptions(quoting_style="none")
    pacsv.write_csv(table.cast(pa.schema([(c, pa.string()) for c in table.column_names])), ratings_path, options)
    return fw, facts_path, ratings_path


def write_peer(path: Path, levels: np.ndarray) -> None:
    """The bureau's workbook: fractions per school and item, SUMPRODUCT for the score, IF/AND for vetoes and tier."""
    import xlsxwriter

    n = len(levels)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("评分")  # the first sheet: the one LibreOffice writes as CSV
    weights = book.add_worksheet("分值")
    last = xlsxwriter.utility.xl_col_to_name(ITEMS)  # items in columns B..BI
    weights.write_row(0, 0, ["分值", *POINTS.tolist()])
    sheet.write_row(
        0, 0, ["school_code", *[f"I{i + 1:02d}" for i in range(ITEMS)], "score", "veto_std", "veto_model", "tier"]
    )
    fractions = np.asarray(FRACTIONS)[levels]
    score_col = xlsxwriter.utility.xl_col_to_name(ITEMS + 1)
    std_col = xlsxwriter.utility.xl_col_to_name(ITEMS + 2)
    model_col = xlsxwriter.utility.xl_col_to_name(ITEMS + 3)
    need = dict(zip(LEVELS, FRACTIONS, strict=True))
    school = codes(n)
    for r in range(n):
        row = r + 1
        excel = row + 1
        sheet.write_string(row, 0, str(school[r]))
        sheet.write_row(row, 1, fractions[r].tolist())
        sheet.write_formula(row, ITEMS + 1, f"=ROUND(SUMPRODUCT(B{excel}:{last}{excel},分值!$B$1:${last}$1),9)")
        sheet.write_formula(row, ITEMS + 2, f"=IF(B{excel}>={need[VETO_STANDARD[1]]},1,0)")
        model = ",".join(f"{xlsxwriter.utility.xl_col_to_name(i + 1)}{excel}>={need[lv]}" for i, lv in VETO_MODEL)
        sheet.write_formula(row, ITEMS + 3, f"=IF(AND({model}),1,0)")
        tier = (
            f"=IF(AND({score_col}{excel}>={STANDARD:g},{std_col}{excel}=1),"
            f'IF(AND({score_col}{excel}>={MODEL:g},{model_col}{excel}=1),"model","standard"),"none")'
        )
        sheet.write_formula(row, ITEMS + 4, tier)
    book.close()


# --------------------------------------------------------------------------------- LibreOffice


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def lo_profile(folder: Path) -> Path:
    """A fresh LibreOffice profile that recalculates every formula of an xlsx file on load."""
    profile = folder / "lo-profile"
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        "</oor:items>\n",
        encoding="utf-8",
    )
    return profile


def lo_command(binary: str, profile: Path, workbook: Path, out_dir: Path) -> list[str]:
    return [
        binary,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
        "--outdir",
        str(out_dir),
        str(workbook),
    ]


# --------------------------------------------------------------------------------- the comparison


def compare(n: int, repeats: int, seed: int, work: Path) -> dict[str, object]:
    """Both sides on the same n × 60 data: medians, peaks, ratios and whether every school agrees."""
    levels = levels_of(n, seed)
    started = time.perf_counter()
    fw, facts, ratings = write_ours(work, levels)
    ours_cmd = [*xinyu(), "score", "--framework", str(fw), "--facts", str(facts), "--ratings", str(ratings)]
    ours_cmd += ["--out", str(work / "ours.csv")]
    binary = soffice()
    peer = work / "peer.xlsx"
    lo: list[Run] = []
    mine: list[Run] = []
    if binary:
        write_peer(peer, levels)
        profile = lo_profile(work)
        out_dir = work / "lo"
        run(lo_command(binary, profile, peer, out_dir), work)  # warm-up: the profile is created on first start
    prepared = time.perf_counter() - started
    run(ours_cmd, work)  # warm-up: the page cache holds both sides' files
    for _ in range(repeats):  # alternately, so that a change of load on the machine hits both sides
        if binary:
            lo.append(run(lo_command(binary, profile, peer, out_dir), work))
        mine.append(run(ours_cmd, work))
    result: dict[str, object] = {
        "schools": n,
        "ratings": n * ITEMS,
        "prepare_s": prepared,
        "ours_wall_s": statistics.median(r.wall for r in mine),
        "ours_cpu_s": statistics.median(r.cpu for r in mine),
        "ours_peak_mb": max(r.peak_mb for r in mine),
    }
    if binary:
        result |= {
            "lo_wall_s": statistics.median(r.wall for r in lo),
            "lo_cpu_s": statistics.median(r.cpu for r in lo),
            "lo_peak_mb": max(r.peak_mb for r in lo),
        }
        result["wall_ratio"] = result["ours_wall_s"] / result["lo_wall_s"]
        result["cpu_ratio"] = result["ours_cpu_s"] / result["lo_cpu_s"]
        result["peak_ratio"] = result["ours_peak_mb"] / result["lo_peak_mb"]
        result |= agreement(work / "ours.csv", out_dir / "peer.csv")
    return result


def agreement(ours_csv: Path, peer_csv: Path) -> dict[str, object]:
    """Whether every school's score (one decimal) and tier agree, and how many sit exactly on a pass mark."""
    ours = pd.read_csv(ours_csv, encoding="utf-8-sig", usecols=["school_code", "inspection_score", "inspection_tier"])
    peer = pd.read_csv(peer_csv, usecols=["school_code", "score", "tier"])
    both = ours.merge(peer, on="school_code", how="outer", validate="1:1")
    scores = np.isclose(both["inspection_score"], np.round(both["score"].astype(float), 1), rtol=0, atol=1e-9)
    tiers = both["inspection_tier"] == both["tier"]
    on_mark = np.isclose(both["score"].astype(float), STANDARD) | np.isclose(both["score"].astype(float), MODEL)
    return {
        "scores_agree": bool(scores.all()),
        "tiers_agree": bool(tiers.all()),
        "disagreements": int((~(scores & tiers)).sum()),
        "on_pass_mark": int(on_mark.sum()),
    }


def generated(sizes: list[int], repeats: int, work: Path) -> list[dict[str, object]]:
    """The generated district scored end to end at each size: median wall and peak RSS."""
    rows = []
    for n in sizes:
        folder = work / f"district-{n}"
        subprocess.run(
            [*xinyu(), "generate", "--schools", str(n), "--seed", "2025", "--out", str(folder)],
            check=True,
            capture_output=True,
        )
        command = [*xinyu(), "score", "--facts", str(folder / "facts.csv"), "--ratings", str(folder / "ratings.csv")]
        command += ["--out", str(folder / "scores.csv")]
        run(command, work)  # warm-up (page cache)
        runs = [run(command, work) for _ in range(repeats)]
        lines = sum(1 for _ in (folder / "ratings.csv").open("rb")) - 1
        rows.append(
            {
                "schools": n,
                "ratings": lines,
                "wall_s": statistics.median(r.wall for r in runs),
                "cpu_s": statistics.median(r.cpu for r in runs),
                "peak_mb": max(r.peak_mb for r in runs),
            }
        )
    return rows


def startup(repeats: int, work: Path) -> dict[str, float]:
    """Median wall and CPU of `xinyu score --help`."""
    run([*xinyu(), "score", "--help"], work)
    runs = [run([*xinyu(), "score", "--help"], work) for _ in range(max(repeats, 5))]
    return {
        "score_help_wall_s": statistics.median(r.wall for r in runs),
        "score_help_cpu_s": statistics.median(r.cpu for r in runs),
    }


PACKAGES = ("cli", "scoring", "criteria", "i18n", "sample_data", "settings")  # what `xinyu score` and `generate` load


def byte_compile() -> None:
    """Our modules byte-compiled, as `pip install` leaves an installed package.

    An editable install on a machine that sets PYTHONDONTWRITEBYTECODE (this one does) never writes
    them, and every timed process would compile our modules from source again (0.05-0.1 s a run).
    """
    import compileall
    import importlib.util

    for name in PACKAGES:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=2)  # (best effort: a read-only install keeps what it has)


def show(row: dict[str, object]) -> str:
    return " | ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in row.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, nargs="+", default=[2000, 100_000], help="sizes of the comparison")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--growth", type=int, nargs="*", default=[1000, 10_000, 100_000], help="generated sizes")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one run (CI runs this)")
    args = parser.parse_args()
    if args.smoke:
        args.schools, args.repeats, args.growth = [200], 1, [50]
    load = os.getloadavg()
    print(f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; load {load[0]:.1f}")
    print("LibreOffice:", soffice() or "not installed (the peer side is skipped)")
    byte_compile()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(show(startup(args.repeats, work)), flush=True)
        for n in args.schools:
            folder = work / f"compare-{n}"
            folder.mkdir()
            row = compare(n, args.repeats, args.seed, folder)
            print(show(row), flush=True)
            if soffice() and not (row["scores_agree"] and row["tiers_agree"]):
                raise SystemExit(f"scores or tiers disagree at {n} schools")
            shutil.rmtree(folder)
        for row in generated(args.growth, args.repeats, work):
            print(show(row), flush=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
