#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# report.sh DIR: build/soak/report.md from the soak's tables in DIR
# (soak.sh writes them; see there).  SOAK_* in the environment name the run.
set -u
d=$1
printf '# Soak report\n\n'
printf -- '- seed %s, %s guests, operations for %s s (a runlevel switch every %s s), %s s in all, %s checks\n' \
	"$SOAK_SEED" "$SOAK_GUESTS" "$SOAK_SECONDS" "${SOAK_EPOCH:-?}" "${SOAK_ELAPSED:-?}" "${SOAK_STEPS:-?}"
printf -- '- kernel: %s\n' "${SOAK_KERNEL:-?}"
printf -- '- host: %s, %s CPUs, %s\n' "$(uname -r)" "$(nproc)" "$(date -u +%FT%TZ)"
# shellcheck disable=SC2016 # markdown's backquotes
printf -- '- replay: `SOAK_SECONDS=%s SOAK_SEED=%s SOAK_GUESTS=%s SOAK_EPOCH=%s SOAK_DEBIAN=%s REALKERNEL=%s make soak`\n\n' \
	"$SOAK_SECONDS" "$SOAK_SEED" "$SOAK_GUESTS" "${SOAK_EPOCH:-?}" "${SOAK_DEBIAN:-?}" "${SOAK_REALKERNEL:-?}"

printf '## Operations by kind\n\n| operation | count |\n|---|---:|\n'
cut -f2 "$d/ops.tsv" | sort | uniq -c | sort -rn | awk '{ printf "| %s | %d |\n", $2, $1 }'
printf '| **all** | **%d** |\n\n' "$(wc -l <"$d/ops.tsv")"
kills=$(awk -F'\t' '$2 ~ /^kill_/ && $4 ~ /^killed|^stopper/' "$d/ops.tsv" | wc -l)
printf 'Kills that hit a process (kernel, helper, supervisor, umlctl stop): %d\n\n' "$kills"
forced=$(awk -F'\t' '$3 == "forced"' "$d/stops.tsv" | wc -l)
printf 'Forced stops (checked) and kills that hit a process: %d\n\n' "$((forced + kills))"
printf 'Operations by guest:\n\n'
awk -F'\t' '{ n[$3]++ } END { for (g in n) printf "    %s %d\n", g, n[g] }' "$d/ops.tsv" | sort
printf '\n'

printf '## Runs by how they ended (NAME.last at the check after the run)\n\n| outcome | count |\n|---|---:|\n'
cut -f3 "$d/stops.tsv" | sort | uniq -c | sort -rn | awk '{ printf "| %s | %d |\n", $2, $1 }'
printf '\nForced stops by detail:\n\n'
awk -F'\t' '$3 == "forced" { sub(/^forced */, "", $4); print $4 }' "$d/stops.tsv" |
	sed 's/[0-9][0-9.]* s/N s/g' | sort | uniq -c | sort -rn | sed 's/^ */    /'
printf '\n## Records\n\n'
[ ! -s "$d/unseen.tsv" ] || printf 'Checks not judged: %d (the guest booted again after an unclean end that no check saw; see RELIABILITY.md)\n\n' "$(wc -l <"$d/unseen.tsv")"
awk -F'\t' '{ a[$2] = $3; v[$2] = $4; n++ }
	END { for (g in a) { ta += a[g]; tv += v[g] }
	printf "%d checks of a stopped guest'"'"'s image; at the last check of each guest, %d records acknowledged (since its COW file was last dropped), %d intact in the images\n", n, ta, tv }' "$d/records.tsv"
awk -F'\t' '{ s += $3 } END { printf "\nSum over all checks of the acknowledged records verified: %d\n", s }' "$d/records.tsv"

printf '\n## Supervisors'"'"' memory (VmRSS, kB, first and last seen)\n\n'
awk -F'\t' '!($1 in f) { f[$1] = $4; g[$1] = $2; s[$1] = $3 } { l[$1] = $4; e[$1] = $3 }
	END { for (p in f) { n++; d = l[p] - f[p]; if (d > md) md = d; if (l[p] > mx) mx = l[p]
		if (e[p] - s[p] > life) { life = e[p] - s[p]; lp = p } }
	printf "%d supervisors seen; largest RSS %d kB; largest growth in one life %d kB", n, mx, md
	if (lp != "") printf "; the longest-lived (%s, seen from %d s to %d s): %d kB then %d kB", g[lp], s[lp], e[lp], f[lp], l[lp]
	print "" }' "$d/rss.tsv"

if [ -s "$d/quiet.tsv" ]; then
	printf '\n## Quiet points\n\n'
	awk -F'\t' '{ n++; t += $4 } END {
		printf "%d full checks of a guest; %.1f s each on average, %.0f s in all\n", n, n ? t / n : 0, t }' "$d/quiet.tsv"
fi
printf 'Operations a minute: %s\n' "$(awk -v n="$(wc -l <"$d/ops.tsv")" -v e="${SOAK_ELAPSED:-0}" 'BEGIN { printf "%.1f", e ? n * 60 / e : 0 }')"
printf '\n## Invariant violations: %d\n\n' "$(wc -l <"$d/violations")"
sed 's/^/    /' "$d/violations"
printf '\nEvidence for each is in soak.log, after its VIOLATION line.\n'
