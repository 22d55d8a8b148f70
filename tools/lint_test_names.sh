#!/usr/bin/env bash
# Test-name lint (run by CTest): doctest_discover_tests registers each TEST_CASE with CTest by
# name, and CTest cuts a name at ';' and doctest's -tc filter reads '[' and ']' as a pattern, so a
# test case whose name holds one of them is registered under a name that matches nothing and
# never runs. This lint fails on any such name.
#
# Usage: tools/lint_test_names.sh [REPO_ROOT]     exit 0 = clean, 1 = findings (listed)
set -euo pipefail

root=${1:-$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)}
findings=$(grep -rnE 'TEST_CASE\("[^"]*[][;]' "$root/tests" --include='*.cc' || true)
if [[ -n $findings ]]; then
  echo "test-name lint: these TEST_CASE names contain ';', '[' or ']' and would never run under CTest:"
  echo "$findings"
  exit 1
fi
echo "test-name lint: every TEST_CASE name is safe for CTest"
