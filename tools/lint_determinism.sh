#!/usr/bin/env bash
# Determinism lint (run by CTest): the simulation (raft/ and sim/) must not read the wall clock,
# draw from std::random_device or the standard library's distributions, start threads, read the
# environment, sleep, or iterate unordered containers. The command line (tools/cli) may read the
# wall clock, but only to report how long a run took.
#
# Usage: tools/lint_determinism.sh [REPO_ROOT]     exit 0 = clean, 1 = findings (listed)
set -euo pipefail

root=${1:-$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)}
pattern='std::chrono|system_clock|steady_clock|high_resolution_clock|random_device|_distribution|std::mt19937|[^_a-z]rand\(|srand|std::thread|std::async|pthread|getenv|sleep_for|usleep|unordered_map|unordered_set|time\(nullptr\)|gettimeofday|clock_gettime'

findings=$(grep -rnE "$pattern" "$root/raft" "$root/sim" --include='*.hh' --include='*.cc' || true)
if [[ -n $findings ]]; then
  echo "determinism lint: forbidden constructs in raft/ or sim/:"
  echo "$findings"
  exit 1
fi
echo "determinism lint: raft/ and sim/ are clean"
