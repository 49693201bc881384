/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_golden.c: conf.d text -> kernel argv, or the exact error.
 *
 * For each tests/golden/NAME.conf, read as /etc/conf.d/uml.NAME for
 * instance NAME (with RC_SVCNAME=uml.NAME defined, as OpenRC does),
 * the kernel argv from kargv_build with rundir /run/uml/NAME must equal
 * NAME.argv (one word a line), or the error from conf_parse or
 * config_build must equal the single line of NAME.err.
 *
 * UMLCTL_GOLDEN_UPDATE=1 rewrites the expectations from the current
 * output instead: review the diff before committing it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "confread.h"
#include "guestconf.h"
#include "kargv.h"

#define FIXTURES_MAX	512
#define OUT_MAX		(KARGV_BUF + 1024)

static const char *golden_dir = "tests/golden";

/* The whole file, NUL-terminated (the NUL is not counted in *len). */
static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* What the fixture produces: argv lines, or the error line; 1 if error. */
static int
produce(const char *name, const char *text, size_t len, char *out)
{
	static struct conf c;
	static struct guest g;
	static struct kargv k;
	char fname[256], rundir[256], svc[256], err[1024];
	size_t i, o = 0;

	snprintf(fname, sizeof(fname), "/etc/conf.d/uml.%s", name);
	snprintf(rundir, sizeof(rundir), "/run/uml/%s", name);
	snprintf(svc, sizeof(svc), "uml.%s", name);
	conf_init(&c);
	assert_int_equal(conf_set_builtin(&c, "RC_SVCNAME", svc), 0);
	if (conf_parse(&c, fname, text, len, err, sizeof(err)) < 0 ||
	    config_build(&c, name, &g, err, sizeof(err)) < 0) {
		snprintf(out, OUT_MAX, "%s\n", err);
		return 1;
	}
	assert_int_equal(kargv_build(&g, rundir, &k), 0);
	for (i = 0; i < k.argc; i++)
		o += (size_t)snprintf(out + o, OUT_MAX - o, "%s\n", k.argv[i]);
	assert_null(k.argv[k.argc]);
	return 0;
}

/* Next line of *p (without its newline) into line; 0 at the end. */
static int
next_line(const char **p, char *line, size_t linelen)
{
	const char *nl;
	size_t n;

	if (**p == '\0')
		return 0;
	nl = strchr(*p, '\n');
	n = nl != NULL ? (size_t)(nl - *p) : strlen(*p);
	snprintf(line, linelen, "%.*s", (int)n, *p);
	*p += n + (nl != NULL);
	return 1;
}

/* A line-by-line comparison in the style of diff -u, without hunks. */
static void
print_diff(const char *file, const char *want, const char *got)
{
	char a[4096], b[4096];
	int ha, hb;

	print_error("--- %s (expected)\n+++ produced\n", file);
	for (;;) {
		ha = next_line(&want, a, sizeof(a));
		hb = next_line(&got, b, sizeof(b));
		if (!ha && !hb)
			break;
		if (ha && hb && strcmp(a, b) == 0) {
			print_error(" %s\n", a);
			continue;
		}
		if (ha)
			print_error("-%s\n", a);
		if (hb)
			print_error("+%s\n", b);
	}
}

static void
update(const char *path, const char *stale, const char *out)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(out, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	if (unlink(stale) < 0)
		assert_int_equal(errno, ENOENT);
}

static void
test_fixture(void **state)
{
	const char *name = *state;
	static char out[OUT_MAX];
	char conf[1024], argv_file[1024], err_file[1024], *text, *want, *other;
	size_t len, wlen;
	int is_err;

	snprintf(conf, sizeof(conf), "%s/%s.conf", golden_dir, name);
	snprintf(argv_file, sizeof(argv_file), "%s/%s.argv", golden_dir, name);
	snprintf(err_file, sizeof(err_file), "%s/%s.err", golden_dir, name);
	text = slurp(conf, &len);
	assert_non_null(text);
	is_err = produce(name, text, len, out);
	free(text);
	if (getenv("UMLCTL_GOLDEN_UPDATE") != NULL) {
		update(is_err ? err_file : argv_file, is_err ? argv_file : err_file, out);
		return;
	}
	want = slurp(argv_file, &wlen);
	other = slurp(err_file, &wlen);
	if (want != NULL && other != NULL)
		fail_msg("%s: both .argv and .err exist", name);
	if (want == NULL && other == NULL)
		fail_msg("%s: neither %s nor %s exists", name, argv_file, err_file);
	if (want == NULL)
		want = other;
	if (strcmp(want, out) != 0) {
		print_diff(other != NULL ? err_file : argv_file, want, out);
		free(want);
		fail_msg("%s: output differs from the expectation", name);
	}
	free(want);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every expectation file needs its .conf: a renamed fixture is not lost. */
static void
test_no_orphans(void **state)
{
	DIR *d = opendir(golden_dir);
	struct dirent *e;
	char path[1024];
	int orphans = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		const char *dot = strrchr(e->d_name, '.');

		if (dot == NULL || (strcmp(dot, ".argv") != 0 && strcmp(dot, ".err") != 0))
			continue;
		snprintf(path, sizeof(path), "%s/%.*s.conf", golden_dir,
		    (int)(n - strlen(dot)), e->d_name);
		if (access(path, F_OK) < 0) {
			print_error("%s/%s has no .conf\n", golden_dir, e->d_name);
			orphans++;
		}
	}
	closedir(d);
	assert_int_equal(orphans, 0);
}

int
main(int argc, char **argv)
{
	static struct CMUnitTest tests[FIXTURES_MAX + 1];
	static char *names[FIXTURES_MAX];
	struct dirent *e;
	size_t i, n = 0;
	DIR *d;

	if (argc > 1)
		golden_dir = argv[1];
	if ((d = opendir(golden_dir)) == NULL) {
		fprintf(stderr, "test_golden: %s: %s\n", golden_dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len <= 5 || strcmp(e->d_name + len - 5, ".conf") != 0)
			continue;
		if (n == FIXTURES_MAX) {
			fprintf(stderr, "test_golden: more than %d fixtures\n", FIXTURES_MAX);
			return 1;
		}
		names[n++] = strndup(e->d_name, len - 5);
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "test_golden: no fixtures in %s\n", golden_dir);
		return 1;
	}
	qsort(names, n, sizeof(names[0]), by_name);
	for (i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){ names[i], test_fixture, NULL, NULL, names[i] };
	tests[n] = (struct CMUnitTest){ "no_orphans", test_no_orphans, NULL, NULL, NULL };
	return _cmocka_run_group_tests("golden", tests, n + 1, NULL, NULL);
}
