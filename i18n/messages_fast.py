"""Catalog entries of the file doors and the fast readers: encodings, Parquet, the benchmarks' words."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # how a CSV file's bytes are read (i18n.text_files)
    "fast.file.bad_bytes_marked": {
        "zh": "无法读取文件：文件开头标明是 {encoding} 编码，但第 {line} 行有不能按 {encoding} 读取的字节（{found}）",
        "en": "cannot read the file: it is marked as {encoding} at its start, but line {line} has bytes that are not {encoding} ({found})",
    },
    "fast.file.bad_bytes_utf8": {
        "zh": "无法读取文件：文件是 UTF-8 编码，但第 {line} 行有损坏的字节（{found}）；请检查该行，或在 Excel 中重新另存为“CSV UTF-8（逗号分隔）”",
        "en": "cannot read the file: it is UTF-8, but line {line} has damaged bytes ({found}); check that line, or save it again from Excel as 'CSV UTF-8 (Comma delimited)'",
    },
    "fast.file.not_text": {
        "zh": "无法读取文件：既不是 UTF-8 也不是 GB18030（GBK）编码的文本（第 {line} 行：{found}）；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”或“CSV（逗号分隔）”",
        "en": "cannot read the file: it is neither UTF-8 nor GB18030 (GBK) text (line {line}: {found}); save it from Excel as 'CSV UTF-8 (Comma delimited)' or 'CSV (Comma delimited)'",
    },
    "fast.file.no_columns": {
        "zh": "无法读取文件：按 {encoding} 编码读取后，第一行没有用逗号或制表符分隔的列",
        "en": "cannot read the file: read as {encoding}, its first line has no columns separated by commas or tabs",
    },
    "fast.file.xlsx": {
        "zh": "无法读取文件：这是 Excel（或 WPS）工作簿，不是 CSV 文件；请另存为“CSV UTF-8（逗号分隔）”后再上传",
        "en": "cannot read the file: this is an Excel (or WPS) workbook, not a CSV file; save it as 'CSV UTF-8 (Comma delimited)' first",
    },
    "fast.file.xls": {
        "zh": "无法读取文件：这是旧版 Excel 工作簿（.xls），不是 CSV 文件；请另存为“CSV UTF-8（逗号分隔）”后再上传",
        "en": "cannot read the file: this is an old Excel workbook (.xls), not a CSV file; save it as 'CSV UTF-8 (Comma delimited)' first",
    },
    "fast.file.pdf": {
        "zh": "无法读取文件：这是 PDF 文件，不是 CSV 文件",
        "en": "cannot read the file: this is a PDF file, not a CSV file",
    },
    # Parquet
    "fast.parquet.unreadable": {
        "zh": "无法读取 Parquet 文件：{found}",
        "en": "cannot read the Parquet file: {found}",
    },
    "fast.parquet.needs_out": {
        "zh": "Parquet 格式须用 --out 指定输出文件",
        "en": "the Parquet format needs an output file (--out)",
    },
    "fast.parquet.not_text": {
        "zh": "列 {column} 应为文本或数字，实际为 {found}",
        "en": "column {column} should hold text or numbers, found {found}",
    },
}
