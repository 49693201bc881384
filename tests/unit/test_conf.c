/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_conf.c: the sh subset of conf.d files, values and exact refusals.
 *
 * Accepted inputs were cross-checked with dash, bash --posix and busybox
 * sh: each value below is what those shells assign.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "confread.h"

static struct conf c;
static char err[1024];

/* Parse text as file "f" into a fresh conf (RC_SVCNAME=uml.t defined). */
static int
parse(const char *text)
{
	conf_init(&c);
	assert_int_equal(conf_set_builtin(&c, "RC_SVCNAME", "uml.t"), 0);
	strcpy(err, "untouched");
	return conf_parse(&c, "f", text, strlen(text), err, sizeof(err));
}

/* The value of name after parsing text, which must be accepted. */
static const char *
value(const char *text, const char *name)
{
	if (parse(text) != 0)
		fail_msg("refused: %s", err);
	assert_string_equal(err, "");
	return conf_get(&c, name);
}

/* The error for text, which must be refused. */
static const char *
refusal(const char *text)
{
	if (parse(text) == 0)
		fail_msg("accepted: %s", text);
	return err;
}

static void
test_plain(void **state)
{
	(void)state;
	assert_string_equal(value("A=1\n", "A"), "1");
	assert_string_equal(value("A=1", "A"), "1");
	assert_string_equal(value("A=\n", "A"), "");
	assert_string_equal(value("  \tA=x y=2\n", "y"), "2");
	assert_string_equal(value("A=/a/b.c-d_e+f@g%h^i!j*k?l[m]n{o}p,q:r=s#t\n",
	    "A"), "/a/b.c-d_e+f@g%h^i!j*k?l[m]n{o}p,q:r=s#t");
	assert_null(value("A=1\n", "B"));
	assert_null(value("", "A"));
	assert_null(value("\n\n   \n\t\n", "A"));
}

static void
test_comments(void **state)
{
	(void)state;
	assert_string_equal(value("# A=2\nA=1 # B=2\n", "A"), "1");
	assert_null(value("# A=2\nA=1 # B=2\n", "B"));
	assert_string_equal(value("A=1#2\n", "A"), "1#2");
	assert_string_equal(value("A=#2\n", "A"), "#2");
	assert_string_equal(value("A='x'#y\n", "A"), "x#y");
	assert_string_equal(value("   # indented; $(ignored) `too`\nA=1\n", "A"), "1");
	assert_string_equal(value("A=1\t#\tc\n", "A"), "1");
}

static void
test_later_wins(void **state)
{
	(void)state;
	assert_string_equal(value("A=1\nA=2\n", "A"), "2");
	assert_string_equal(value("A=1 A=2 A=3\n", "A"), "3");
	assert_int_equal(c.n, 2);	/* RC_SVCNAME and A: no duplicates */
}

static void
test_single_quotes(void **state)
{
	(void)state;
	assert_string_equal(value("A='a b  c'\n", "A"), "a b  c");
	assert_string_equal(value("A='$B `x` $(y) \\ \" ~ ; | &'\n", "A"),
	    "$B `x` $(y) \\ \" ~ ; | &");
	assert_string_equal(value("A=''\n", "A"), "");
	assert_string_equal(value("A='a'b'c'\n", "A"), "abc");
	assert_string_equal(value("A='caf\xc3\xa9'\n", "A"), "caf\xc3\xa9");
	assert_string_equal(value("A='tab\there'\n", "A"), "tab\there");
}

static void
test_double_quotes(void **state)
{
	(void)state;
	assert_string_equal(value("A=\"a b\"\n", "A"), "a b");
	assert_string_equal(value("A=\"\"\n", "A"), "");
	assert_string_equal(value("A=\"it's\"\n", "A"), "it's");
	/* Only \" \\ \$ \` lose their backslash, as in sh. */
	assert_string_equal(value("A=\"\\\"\\\\\\$\\`\"\n", "A"), "\"\\$`");
	assert_string_equal(value("A=\"\\a\\n\\'\\ \"\n", "A"), "\\a\\n\\'\\ ");
	assert_string_equal(value("A=\"\\\\$RC_SVCNAME\"\n", "A"), "\\uml.t");
	assert_string_equal(value("A=\"~ ; | & < > ( ) #\"\n", "A"), "~ ; | & < > ( ) #");
	assert_string_equal(value("A=\"\xe2\x80\x94\"\n", "A"), "\xe2\x80\x94");
	assert_string_equal(value("A=x\"y\"'z'w\n", "A"), "xyzw");
}

static void
test_expansion(void **state)
{
	(void)state;
	assert_string_equal(value("B=/srv\nA=$B/x\n", "A"), "/srv/x");
	assert_string_equal(value("B=/srv\nA=${B}x\n", "A"), "/srvx");
	assert_string_equal(value("B=/srv\nA=\"$B/x\"\n", "A"), "/srv/x");
	assert_string_equal(value("B=/srv\nA=\"${B}_x\"\n", "A"), "/srv_x");
	assert_string_equal(value("B='a b'\nA=$B\n", "A"), "a b");	/* no splitting */
	assert_string_equal(value("B='*'\nA=$B\n", "A"), "*");		/* no globbing */
	assert_string_equal(value("B=1 A=$B\n", "A"), "1");		/* left to right */
	assert_string_equal(value("B=1\nB=2$B\n", "B"), "21");
	assert_string_equal(value("A=$RC_SVCNAME\n", "A"), "uml.t");
	assert_string_equal(value("B=\nA=x${B}y\n", "A"), "xy");
	assert_string_equal(value("B='$C'\nA=$B\n", "A"), "$C");	/* once */
}

static void
test_files_accumulate(void **state)
{
	(void)state;
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "/etc/conf.d/uml", "UMLDIR=/uml\n", 12,
	    err, sizeof(err)), 0);
	assert_int_equal(conf_parse(&c, "/etc/conf.d/uml.x",
	    "ROOT=$UMLDIR/x.img\n", 19, err, sizeof(err)), 0);
	assert_string_equal(conf_get(&c, "ROOT"), "/uml/x.img");
}

static void
test_builtins(void **state)
{
	char big[CONF_VALUE_MAX + 1];

	(void)state;
	conf_init(&c);
	assert_int_equal(conf_set_builtin(&c, "RC_SVCNAME", "uml.a"), 0);
	assert_null(conf_get(&c, "RC_SVCNAME"));	/* not an assignment */
	assert_int_equal(conf_set_builtin(&c, "RC_SVCNAME", "uml.b"), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(conf_parse(&c, "f", "A=$RC_SVCNAME", 13, err,
	    sizeof(err)), 0);
	assert_string_equal(conf_get(&c, "A"), "uml.b");
	/* A file may assign a builtin's name; then it is the file's. */
	assert_int_equal(conf_parse(&c, "f", "RC_SVCNAME=x", 12, err,
	    sizeof(err)), 0);
	assert_string_equal(conf_get(&c, "RC_SVCNAME"), "x");
	assert_int_equal(conf_set_builtin(&c, "", "x"), -1);
	assert_int_equal(conf_set_builtin(&c, "1A", "x"), -1);
	assert_int_equal(conf_set_builtin(&c, "A-B", "x"), -1);
	memset(big, 'v', sizeof(big));
	big[CONF_VALUE_MAX] = '\0';
	assert_int_equal(conf_set_builtin(&c, "BIG", big), -1);
	big[CONF_VALUE_MAX - 1] = '\0';
	assert_int_equal(conf_set_builtin(&c, "BIG", big), 0);
}

static void
test_len_not_terminated(void **state)
{
	const char text[] = "A=12345$(echo)";

	(void)state;
	conf_init(&c);
	/* Only the first 7 bytes count: what follows is not looked at. */
	assert_int_equal(conf_parse(&c, "f", text, 7, err, sizeof(err)), 0);
	assert_string_equal(conf_get(&c, "A"), "12345");
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "f", "A='x'", 4, err, sizeof(err)), -1);
	assert_string_equal(err, "f:1: `A='x': unterminated quote");
}

static void
test_not_assignments(void **state)
{
	const char *cmds[] = { "export A=1", "echo hi", "A", "A =1", "A= 1",
	    "1A=x", "A-B=1", "A+=1", "A[0]=1", "\"A\"=1", "if true; then",
	    "fi", "f() { :; }", "{ A=1; }", "(A=1)", "!A=1", ". /etc/x",
	    "set -e", "readonly A=1", "local A=1", "A=1 cmd", "A=1 \"B\"=2",
	    ">x", "A=1 >/dev/null", "$A=1", "A=1 2>x" };

	(void)state;
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		const char *e = refusal(cmds[i]);

		if (strstr(e, ": cannot parse faithfully: umlctl reads conf.d "
		    "files as plain NAME=value assignments") == NULL)
			fail_msg("%s: %s", cmds[i], e);
	}
	assert_string_equal(refusal("A=1\n\nexport A=2\n"), "f:3: `export "
	    "A=2': cannot parse faithfully: umlctl reads conf.d files as plain "
	    "NAME=value assignments");
	assert_string_equal(refusal("A=1 cmd arg # c \n"), "f:1: `cmd arg # "
	    "c': cannot parse faithfully: umlctl reads conf.d files as plain "
	    "NAME=value assignments");
}

static void
test_substitutions(void **state)
{
	(void)state;
	assert_string_equal(refusal("MEMORY=$(echo 1)\n"),
	    "f:1: `MEMORY=$(echo 1)': command substitution is not supported");
	assert_string_equal(refusal("A=\"x$(y)\""),
	    "f:1: `A=\"x$(y)\"': command substitution is not supported");
	assert_string_equal(refusal("A=`y`"),
	    "f:1: `A=`y`': command substitution is not supported");
	assert_string_equal(refusal("A=\"`y`\""),
	    "f:1: `A=\"`y`\"': command substitution is not supported");
	assert_string_equal(refusal("A=$((1+1))"),
	    "f:1: `A=$((1+1))': arithmetic expansion is not supported");
	assert_string_equal(refusal("A=\"$((1+1))\""),
	    "f:1: `A=\"$((1+1))\"': arithmetic expansion is not supported");
}

static void
test_parameters(void **state)
{
	const char *forms[] = { "A=${B:-x}", "A=${B-x}", "A=${B:=x}", "A=${B%x}",
	    "A=${#B}", "A=${B", "A=${}", "A=${1}", "A=\"${B:+y}\"", "A=${ B}",
	    "A=${B }" };

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const char *e = refusal(forms[i]);

		if (strstr(e, "': only ${NAME} is supported, not ${NAME:-word} "
		    "or other ${...} forms") == NULL)
			fail_msg("%s: %s", forms[i], e);
	}
	assert_string_equal(refusal("A=$HOME/x\n"), "f:1: `A=$HOME/x': $HOME "
	    "is not set by a conf.d file; umlctl cannot know its value");
	assert_string_equal(refusal("A=\"${PATH}\"\n"), "f:1: `A=\"${PATH}\"': "
	    "$PATH is not set by a conf.d file; umlctl cannot know its value");
	/* Greedy names, as in sh: $Bx is not $B followed by x. */
	assert_string_equal(refusal("B=1 A=$Bx\n"), "f:1: `A=$Bx': $Bx is not "
	    "set by a conf.d file; umlctl cannot know its value");
	/* Not yet assigned when the expansion happens. */
	assert_string_equal(refusal("A=$B B=1\n"), "f:1: `A=$B B=1': $B is not "
	    "set by a conf.d file; umlctl cannot know its value");
	assert_string_equal(refusal("A=$1"),
	    "f:1: `A=$1': positional parameter $1 is not supported");
	assert_string_equal(refusal("A=\"$0\""),
	    "f:1: `A=\"$0\"': positional parameter $0 is not supported");
	const char special[] = "@*#?-$!";
	for (size_t i = 0; special[i] != '\0'; i++) {
		char text[16], want[128];

		snprintf(text, sizeof(text), "A=$%c", special[i]);
		snprintf(want, sizeof(want), "f:1: `A=$%c': special parameter $%c "
		    "is not supported", special[i], special[i]);
		assert_string_equal(refusal(text), want);
	}
	const char *lone[] = { "A=$", "A=x$ B=1", "A=\"$\"", "A=$'x'", "A=$\"x\"",
	    "A=$/x", "A=\"$ \"" };
	for (size_t i = 0; i < sizeof(lone) / sizeof(lone[0]); i++) {
		const char *e = refusal(lone[i]);

		if (strstr(e, "': a '$' that starts no expansion is not "
		    "supported (write \\$ inside \"...\", or '$')") == NULL)
			fail_msg("%s: %s", lone[i], e);
	}
}

static void
test_unquoted_syntax(void **state)
{
	(void)state;
	assert_string_equal(refusal("A=1; B=2"), "f:1: `A=1; B=2': an unquoted "
	    "';' is shell syntax umlctl does not read (quote it if it belongs "
	    "to the value)");
	const char syn[] = "&|<>()";
	for (size_t i = 0; syn[i] != '\0'; i++) {
		char text[16], want[160];

		snprintf(text, sizeof(text), "A=x%cy", syn[i]);
		snprintf(want, sizeof(want), "f:1: `A=x%cy': an unquoted '%c' is "
		    "shell syntax umlctl does not read (quote it if it belongs "
		    "to the value)", syn[i], syn[i]);
		assert_string_equal(refusal(text), want);
	}
	assert_string_equal(refusal("A=~/x"), "f:1: `A=~/x': an unquoted '~' "
	    "is not supported (sh would expand it to a home directory; quote it)");
	assert_string_equal(refusal("A=/a:~/x"), "f:1: `A=/a:~/x': an unquoted "
	    "'~' is not supported (sh would expand it to a home directory; "
	    "quote it)");
	assert_string_equal(refusal("A=a\\ b"), "f:1: `A=a\\ b': a backslash "
	    "outside quotes is not supported (quote the value with '...')");
	assert_string_equal(refusal("A=a\\\nB=1"), "f:1: `A=a\\': a backslash "
	    "outside quotes is not supported (quote the value with '...')");
	assert_string_equal(refusal("A=caf\xc3\xa9"), "f:1: `A=caf?\?': byte "
	    "0xc3 outside quotes is not supported (quote the value)");
	assert_string_equal(refusal("A=\x01"), "f:1: `A=?': byte 0x01 outside "
	    "quotes is not supported (quote the value)");
	assert_string_equal(refusal("A=1\r\n"), "f:1: `A=1?': carriage return "
	    "outside quotes (DOS line endings are not supported)");
	assert_string_equal(refusal("A=1\n\r\n"), "f:2: `?': carriage return "
	    "(DOS line endings are not supported)");
}

static void
test_quotes_unterminated(void **state)
{
	(void)state;
	/* Quotes may span lines, as in sh, but must close. */
	assert_string_equal(refusal("A=1\nB='x\ny\n"), "f:2: `B='x': "
	    "unterminated quote");
	assert_string_equal(refusal("B=\"x\ny\n\n"), "f:1: `B=\"x': "
	    "unterminated quote");
	assert_string_equal(refusal("B=\"x\\\"\n"), "f:1: `B=\"x\\\"': "
	    "unterminated quote");
	assert_string_equal(refusal("B=\"x\\\ny\"\n"), "f:1: `B=\"x\\': "
	    "line continuation is not supported");
}

/* OpenRC's rc_cgroup_settings, as /etc/rc.conf documents it. */
static void
test_quotes_multiline(void **state)
{
	(void)state;
	assert_string_equal(value("rc_cgroup_settings=\"\n memory.max 100M\n"
	    " pids.max 50\n\"\nB=2\n", "rc_cgroup_settings"),
	    "\n memory.max 100M\n pids.max 50\n");
	assert_string_equal(conf_get(&c, "B"), "2");
	assert_string_equal(value("A='x\n$y'\n", "A"), "x\n$y");
	assert_string_equal(value("A=\"a\nb\" C=3\n", "C"), "3");
	/* The line numbers of later errors count the value's lines. */
	assert_string_equal(refusal("A='x\ny'\nB=$(z)\n"), "f:3: `B=$(z)': "
	    "command substitution is not supported");
}

static void
test_nul(void **state)
{
	(void)state;
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "f", "A=1\nB=x\0y\n", 10, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "f:2: contains a NUL byte (conf.d files are text)");
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "f", "# \0\n", 4, err, sizeof(err)), -1);
	assert_string_equal(err, "f:1: contains a NUL byte (conf.d files are text)");
}

static void
test_special_names(void **state)
{
	const char *names[] = { "_", "RANDOM", "LINENO", "SECONDS", "UID",
	    "EUID", "PPID", "OPTIND", "BASHPID", "PIPESTATUS" };

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char text[64], want[256];

		snprintf(text, sizeof(text), "%s=1", names[i]);
		snprintf(want, sizeof(want), "f:1: `%s=1': %s is special in some "
		    "shells, which would not keep the value; use another name",
		    names[i], names[i]);
		assert_string_equal(refusal(text), want);
	}
	assert_string_equal(value("_A=1 RANDOMX=2 uid=3", "uid"), "3");
}

static void
test_limits(void **state)
{
	static char text[2 * CONF_VALUE_MAX];
	char name[CONF_NAME_MAX + 1];

	(void)state;
	/* Longest name and value. */
	memset(name, 'N', sizeof(name));
	name[CONF_NAME_MAX - 1] = '\0';
	snprintf(text, sizeof(text), "%s=1", name);
	assert_string_equal(value(text, name), "1");
	name[CONF_NAME_MAX - 1] = 'N';
	name[CONF_NAME_MAX] = '\0';
	snprintf(text, sizeof(text), "%s=1", name);
	assert_string_equal(refusal(text), "f:1: `NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"
	    "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN...': variable name longer than 63 bytes");
	memset(text, 'v', sizeof(text));
	memcpy(text, "A=", 2);
	text[2 + CONF_VALUE_MAX - 1] = '\0';
	assert_int_equal(strlen(value(text, "A")), CONF_VALUE_MAX - 1);
	text[2 + CONF_VALUE_MAX - 1] = 'v';
	text[2 + CONF_VALUE_MAX] = '\0';
	assert_string_equal(refusal(text), "f:1: `A=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"
	    "vvvvvvvvvvvvvvvvvvvvvvvvvvv...': value longer than 4095 bytes");
	/* Expansion can grow a value past the limit too. */
	memset(text, 'v', sizeof(text));
	memcpy(text, "A=", 2);
	strcpy(text + 2 + 3000, " B=$A$A");
	assert_string_equal(refusal(text), "f:1: `B=$A$A': value longer than "
	    "4095 bytes");
}

static void
test_too_many(void **state)
{
	static char text[CONF_VARS_MAX * 16];
	size_t i, o = 0;

	(void)state;
	/* RC_SVCNAME takes one slot. */
	for (i = 0; i < CONF_VARS_MAX - 1; i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "V%zu=1\n", i);
	assert_int_equal(parse(text), 0);
	assert_int_equal(c.n, CONF_VARS_MAX);
	/* Reassigning needs no slot. */
	snprintf(text + o, sizeof(text) - o, "V0=2\nV%zu=1\n", i);
	assert_string_equal(refusal(text), "f:257: `V255=1': too many "
	    "variables (at most 256)");
}

static void
test_error_buffer(void **state)
{
	char small[12];

	(void)state;
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "file", "echo", 4, small, sizeof(small)), -1);
	assert_string_equal(small, "file:1: `ec");
	/* errlen 0: nothing written, still an error. */
	conf_init(&c);
	assert_int_equal(conf_parse(&c, "file", "echo", 4, NULL, 0), -1);
	/* The quoted text is cut and made printable. */
	assert_string_equal(refusal("echo \x1b[31m 0123456789012345678901234567"
	    "89012345678901234567890123456789"), "f:1: `echo ?[31m "
	    "0123456789012345678901234567890123456789012345678...': cannot parse "
	    "faithfully: umlctl reads conf.d files as plain NAME=value "
	    "assignments");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_later_wins),
		cmocka_unit_test(test_single_quotes),
		cmocka_unit_test(test_double_quotes),
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_files_accumulate),
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_len_not_terminated),
		cmocka_unit_test(test_not_assignments),
		cmocka_unit_test(test_substitutions),
		cmocka_unit_test(test_parameters),
		cmocka_unit_test(test_unquoted_syntax),
		cmocka_unit_test(test_quotes_unterminated),
		cmocka_unit_test(test_quotes_multiline),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_special_names),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_error_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
