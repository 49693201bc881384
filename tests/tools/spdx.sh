#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# spdx.sh: every source, script and man page git tracks names its license
# (LICENSE: BSD-2-Clause) in an SPDX line among its first three lines.
# Data (golden files, fuzz corpora, the kernel fragment, whose bytes key
# the kernel cache) and packaging metadata are exempt.
# Exit status: 0 all do; 1 some do not (each named).
set -eu
cd "$(dirname "$0")/../.."
bad=0
for f in $(git ls-files -- '*.c' '*.h' '*.sh' '*.awk' '*.8' Makefile .ci/run \
    init.d/uml conf.d/uml completion/umlctl logrotate.d/uml debian/rules \
    contrib/alpine/APKBUILD '*.ebuild' contrib/cron.d/umlctl-metrics \
    'contrib/ansible/*.py' 'contrib/ansible/*.yml' tests/tools/cppcheck.supp); do
	case $f in
	tests/golden/* | tests/fuzz/corpus/*) continue ;;
	esac
	if ! head -n 3 "$f" | grep -q 'SPDX-License-Identifier: BSD-2-Clause'; then
		echo "spdx: $f has no SPDX-License-Identifier line"
		bad=1
	fi
done
exit "$bad"
