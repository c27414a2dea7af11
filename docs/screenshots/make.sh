#!/usr/bin/env bash
# The first two pages of each document of CN036 (a weak school) and CN038 (fails only a veto) of the demo,
# rendered to PDF by LibreOffice through `xinyu report --format pdf`, then to PNG at 60 dpi.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
for school in CN036 CN038; do
  for kind in inspection self feedback plan; do
    xinyu report --school "$school" --kind "$kind" --format pdf --cycle 2025学年 \
      --visit-date 2025-11-03 --visit-date 2025-11-04 --report-date 2025-11-20 --out "$tmp/$school-$kind.pdf" 2>/dev/null
    for page in 1 2; do
      pdftoppm -r 60 -f $page -l $page -singlefile -png "$tmp/$school-$kind.pdf" "$school-$kind-$page"
    done
  done
done
rm -rf "$tmp"
