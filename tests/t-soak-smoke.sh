#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The chaos soak (tests/soak/soak.sh, issue 22) as an integration test: four
# real guests (plain, ignoring ctrl-alt-del, with a NIC, over a COW base),
# operations for 90 s from a fixed seed, then every guest started and all
# stopped at once; every invariant of the soak after each step.  About two
# and a half to three minutes.  Its log and report go to build/tests/soak-smoke/.
# Busybox guests only (SOAK_DEBIAN=0): a Debian guest's boots and stops
# would take most of the two minutes (RELIABILITY.md).
T_D=$(cd "$(dirname "$0")" && pwd -P)
SOAK_SECONDS=${SOAK_SECONDS:-90} SOAK_GUESTS=${SOAK_GUESTS:-4} SOAK_SEED=${SOAK_SEED:-2204} SOAK_DEBIAN=${SOAK_DEBIAN:-0} \
	SOAK_OUT=${SOAK_OUT:-${T_D%/*}/build/tests/soak-smoke} exec sh "$T_D/soak/soak.sh"
