#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Bash completion (issue 12), driven in a real bash: the commands, as
# umlctl -h lists them; guest names from the conf.d directory (-c DIR);
# start's -f; remove's --images; backup's guest, directory and --swap; mconsole's commands, as src/cli/cmd_run.c lists them; create's
# options, -i's words and sources.
# shellcheck source=SCRIPTDIR/lib.sh
. "${0%/*}/lib.sh"
t_init
t_need_umlctl
command -v bash >/dev/null || t_skip_all "no bash"
comp=$T_ROOT/completion/umlctl

# complete WORD...: what completing the last word of `WORD...' offers.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		COMP_LINE="$*"; _umlctl; [ ${#COMPREPLY[@]} -eq 0 ] ||
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		sh "$comp" "$@"
}

d=$T_TMP/confd
mkdir -p "$d"
: >"$d/uml"
: >"$d/uml.router"
: >"$d/uml.web"
t_eq "umlctl st<TAB>" "start status stop " "$(complete_words umlctl st)"
t_eq "every command of umlctl -h is offered" \
	"$("$UMLCTL" -h | awk '$1 == "umlctl" && $2 ~ /^[a-z]/ { print $2 }' | sort | tr '\n' ' ')" \
	"$(complete_words umlctl '' | tr ' ' '\n' | grep -v '^-' | sort | tr '\n' ' ' | sed 's/^ *//')"
t_eq "umlctl -c DIR stop <TAB>: the guests of DIR" "router web " \
	"$(complete_words umlctl -c "$d" stop '')"
t_eq "umlctl -c DIR suspend <TAB>: the guests of DIR" "router web " \
	"$(complete_words umlctl -c "$d" suspend '')"
t_eq "umlctl -c DIR resume w<TAB>" "web " "$(complete_words umlctl -c "$d" resume w)"
t_eq "umlctl -c DIR s<TAB>" "show start status stop suspend " "$(complete_words umlctl -c "$d" s)"
t_eq "umlctl -c DIR start -f r<TAB>" "router " "$(complete_words umlctl -c "$d" start -f r)"
t_eq "umlctl start -<TAB>" "-f -q " "$(complete_words umlctl -c "$d" start -)"
t_eq "umlctl -c DIR start -q w<TAB>" "web " "$(complete_words umlctl -c "$d" start -q w)"
t_eq "umlctl -c DIR check -<TAB>" "-q " "$(complete_words umlctl -c "$d" check -)"
t_eq "umlctl -c DIR check -q r<TAB>" "router " "$(complete_words umlctl -c "$d" check -q r)"
t_eq "umlctl -c DIR check r<TAB>" "router " "$(complete_words umlctl -c "$d" check r)"
t_eq "umlctl -c DIR mconsole web s<TAB>" "stack stop sysrq " \
	"$(complete_words umlctl -c "$d" mconsole web s)"
t_eq "mconsole's commands are src/cli/cmd_run.c's" \
	"$(sed -n '/mc_words\[\] = {/,/NULL };/p' "$T_ROOT/src/cli/cmd_run.c" | grep -o '"[a-z]*"' | tr -d '"' | sort | tr '\n' ' ')" \
	"$(complete_words umlctl -c "$d" mconsole web '')"
t_eq "nothing after a guest name" "" "$(complete_words umlctl -c "$d" stop web '')"
t_eq "umlctl create -<TAB>: its options, as the table has them (the long form where there is one)" \
	"$(sed -n '/create_flags\[\] = {/,/^};/p' "$T_ROOT/src/cli/main.c" |
		grep -o "{ '[a-z]', [^,]*" | sed -E "s/\{ '(.)', NULL/-\1/; s/\{ '.', \"(.*)\"/--\1/" |
		sort | tr '\n' ' ')" \
	"$(complete_words umlctl create -)"
t_eq "umlctl create --ssh-key <TAB>: files" "$T_TMP" "$(complete_words umlctl create --ssh-key "$T_TMP" | tr -d ' ')"
t_eq "umlctl create --ip <TAB>: the NICs" "vec0= vec1= vec2= vec3= " "$(complete_words umlctl create --ip '')"
t_eq "umlctl create --dhcp --packages vim web deb<TAB>: the source after the name" "debian:bookworm debian:trixie " \
	"$(cd "$T_TMP" && complete_words umlctl create --dhcp --packages vim web deb)"
t_eq "umlctl help re<TAB>" "remove reopen resume " "$(complete_words umlctl help re)"
t_eq "umlctl -c DIR remove w<TAB>" "web " "$(complete_words umlctl -c "$d" remove w)"
t_eq "umlctl remove web -<TAB>" "--images " "$(complete_words umlctl -c "$d" remove web -)"
t_eq "umlctl remove --images r<TAB>" "router " "$(complete_words umlctl -c "$d" remove --images r)"
t_eq "umlctl -c DIR backup w<TAB>" "web " "$(complete_words umlctl -c "$d" backup w)"
t_eq "umlctl -c DIR backup web <TAB>: directories" "$d " "$(complete_words umlctl -c "$d" backup web "$d")"
t_eq "umlctl backup web /x -<TAB>" "--swap " "$(complete_words umlctl -c "$d" backup web /x -)"
t_eq "nothing after backup's directory" "" "$(complete_words umlctl -c "$d" backup web /x '')"
t_eq "umlctl create -i <TAB>" "systemd sysvinit " "$(complete_words umlctl create -i '')"
t_eq "umlctl create -u umlt -s 1G web deb<TAB>" "debian:bookworm debian:trixie " \
	"$(cd "$T_TMP" && complete_words umlctl create -u umlt -s 1G web deb)"
t_eq "umlctl create web <TAB>: no name is offered" "" "$(complete_words umlctl create '')"
t_eq "umlctl -c DIR<TAB> offers directories" "$d " \
	"$(complete_words umlctl -c "$T_TMP/confd")"
t_done
