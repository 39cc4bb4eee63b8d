#!/usr/bin/env bash
# gapsim against its numpy peer, bench/peer.py (tests/peer_agreement.py says
# what is compared and why the tolerance holds).  Needs a python3 with numpy:
# PYTHON (from CMake) if it has it, else python3 on PATH, else /usr/bin/python3
# (Debian's python3-numpy).  Without one the test is skipped (status 77),
# except under GAPSIM_CI=1, where a skip would hide that CI did not test it.
#
# usage: peer_agreement.sh GAPSIM SOURCE_DIR SCRATCH_DIR [PYTHON]
set -u
. "$2/tests/lib.sh"
gs_test_setup "$1" "$2" "$3"
for py in "${4:-}" python3 /usr/bin/python3; do
    if [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 && "$py" -c 'import numpy' 2>/dev/null; then
        exec "$py" "$src/tests/peer_agreement.py" "$gapsim" "$src" "$scratch"
    fi
done
if [ "${GAPSIM_CI:-0}" = 1 ]; then
    echo "peer_agreement: FAIL: no python3 with numpy (python3-numpy, .ci/setup-debian); CI must run this test" >&2
    exit 1
fi
echo "peer_agreement: skipped: no python3 with numpy (install python3-numpy)"
exit 77
