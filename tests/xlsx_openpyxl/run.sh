#!/usr/bin/env bash
# Runs check.py: openpyxl, a spreadsheet library that is not paydeck's, reads a
# workbook paydeck's XLSX writer made (the `a_workbook_for_openpyxl` test writes it
# where PAYDECK_XLSX_OUT says). Needs cargo and network access to PyPI for openpyxl.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=../common/pyvenv.sh
. tests/common/pyvenv.sh openpyxl "openpyxl check"

workbook=$(mktemp --suffix=.xlsx)
trap 'rm -f "$workbook"' EXIT
PAYDECK_XLSX_OUT="$workbook" cargo test --locked --test recon_export -- --exact a_workbook_for_openpyxl --quiet
"$python" tests/xlsx_openpyxl/check.py "$workbook"
