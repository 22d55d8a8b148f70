# shellcheck shell=bash
# Shared set-up of tools/kraftsim and tools/test: install the Debian packages the build needs and
# configure + build a CMake build directory. Source this file; it defines functions only.
#
#   ensure_packages
#       Installs whichever of KRAFTSIM_PACKAGES is missing (apt-get, as root or through sudo).
#       Without root or sudo it prints the missing packages and exits with status 2.
#   configure_and_build [--target NAME] BUILD_DIR BUILD_TYPE [EXTRA_CMAKE_ARGS...]
#       Configures BUILD_DIR with Ninja if it has not been configured yet (an existing build dir
#       is built incrementally and keeps its settings), then builds NAME (default: all targets)
#       on every core. Output is shown only when a step fails. Returns non-zero on failure.
#   kraftsim_cores
#       Prints the number of cores to build and test with.
#
# Progress goes to stderr as short "kraftsim: ..." lines.

# The repository root (this file is tools/lib/setup.sh).
KRAFTSIM_ROOT=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)

# Debian 12 packages needed to build and test kraftsim.
KRAFTSIM_PACKAGES=(g++ cmake ninja-build libboost-program-options-dev nlohmann-json3-dev
  doctest-dev)

kraftsim_log() {
  printf 'kraftsim: %s\n' "$*" >&2
}

kraftsim_cores() {
  nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2
}

# Runs "$@" with its output captured; prints the output to stderr only if it fails.
kraftsim_quietly() {
  local output status=0
  output=$("$@" 2>&1) || status=$?
  if ((status != 0)); then
    printf '%s\n' "$output" >&2
    kraftsim_log "failed (exit status $status): $*"
  fi
  return "$status"
}

ensure_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    kraftsim_log "dpkg-query not found: automatic set-up needs Debian 12 (or a derivative)."
    kraftsim_log "install by hand: ${KRAFTSIM_PACKAGES[*]}"
    exit 2
  fi
  local missing=() package status
  for package in "${KRAFTSIM_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ $status != "install ok installed" ]]; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  local as_root=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
      kraftsim_log "missing Debian packages: ${missing[*]}"
      kraftsim_log "run as root or install sudo, or install them yourself:" \
        "apt-get install ${missing[*]}"
      exit 2
    fi
    as_root=(sudo)
  fi
  kraftsim_log "installing packages: ${missing[*]}"
  kraftsim_quietly "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update || exit 1
  kraftsim_quietly "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}" || exit 1
}

configure_and_build() {
  local target=()
  if [[ ${1-} == --target ]]; then
    target=(--target "$2")
    shift 2
  fi
  local dir=$1 build_type=$2
  shift 2
  local shown=${dir#"$KRAFTSIM_ROOT"/}/
  # A build dir whose first configure failed has a cache but no build.ninja: configure it again.
  if [[ ! -f $dir/CMakeCache.txt || ! -f $dir/build.ninja ]]; then
    kraftsim_log "configuring ($shown, $build_type)..."
    kraftsim_quietly cmake -S "$KRAFTSIM_ROOT" -B "$dir" -G Ninja \
      -DCMAKE_BUILD_TYPE="$build_type" "$@" || return 1
  fi
  kraftsim_log "building ($shown)..."
  kraftsim_quietly cmake --build "$dir" --parallel "$(kraftsim_cores)" "${target[@]}" || return 1
}
