/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_runrec.c: the runtime record's states and formats (runrec.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "runrec.h"

static void
test_words_and_statuses(void **state)
{
	(void)state;
	assert_string_equal(run_state_words(RS_GRACEFUL), "stopped, graceful");
	assert_string_equal(run_state_words(RS_FORCED), "stopped, forced");
	assert_string_equal(run_state_words(RS_POWEROFF), "stopped");
	assert_string_equal(run_state_words(RS_ORPHANED), "crashed");
	assert_int_equal(run_state_status(RS_CRASHED), EX_CRASHED);
	assert_int_equal(run_state_status(RS_ORPHANED), EX_CRASHED);
	assert_int_equal(run_state_status(RS_FORCED), EX_NOTRUNNING);
	assert_int_equal(run_state_status(RS_NONE), EX_NOTRUNNING);
	assert_int_equal(run_state_status(RS_STARTING), EX_STARTING);
	assert_int_equal(run_state_stop_status(RS_GRACEFUL), EX_OK);
	assert_int_equal(run_state_stop_status(RS_POWEROFF), EX_OK);
	assert_int_equal(run_state_stop_status(RS_FORCED), EX_FORCED);
	assert_int_equal(run_state_stop_status(RS_CRASHED), EX_CRASHED);
	assert_string_equal(run_state_words((enum run_state)99), "unknown");
	assert_string_equal(run_state_words(RS_SUSPENDED), "suspended");
	assert_int_equal(run_state_status(RS_SUSPENDED), EX_SUSPENDED);
}

static void
test_outcome_roundtrip(void **state)
{
	struct outcome o = { RS_FORCED, "did not power off within 3 s; "
	    "synced, remounted read-only, halted after 3.02 s" }, back;
	char buf[OUTCOME_MAX + 32];

	(void)state;
	assert_int_equal(outcome_encode(&o, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "forced\tdid not power off within 3 s; synced, "
	    "remounted read-only, halted after 3.02 s\n");
	assert_int_equal(outcome_decode(buf, &back), 0);
	assert_int_equal(back.state, RS_FORCED);
	assert_string_equal(back.detail, o.detail);
	assert_string_equal(outcome_text(&back, buf, sizeof(buf)),
	    "stopped, forced: did not power off within 3 s; synced, remounted "
	    "read-only, halted after 3.02 s");
	o.state = RS_NONE;
	o.detail[0] = '\0';
	assert_string_equal(outcome_text(&o, buf, sizeof(buf)), "stopped");
}

static void
test_outcome_refuses(void **state)
{
	struct outcome o = { RS_CRASHED, "two\nlines" }, back;
	char buf[OUTCOME_MAX + 32];

	(void)state;
	assert_int_equal(outcome_encode(&o, buf, sizeof(buf)), -1);
	assert_int_equal(outcome_decode("", &back), -1);
	assert_int_equal(back.state, RS_NONE);
	assert_int_equal(outcome_decode("stopped, graceful: x\n", &back), -1);
	assert_int_equal(outcome_decode("forcedx\tx\n", &back), -1);
	assert_int_equal(outcome_decode("force\tx\n", &back), -1);
	assert_int_equal(back.state, RS_NONE);
	assert_string_equal(back.detail, "");
	assert_int_equal(outcome_decode("crashed\t\n", &back), 0);
	assert_int_equal(back.state, RS_CRASHED);
}

static void
test_krecord(void **state)
{
	struct krecord k = { .kpid = 4242, .kstart = 123456789ULL, .kuid = 999,
	    .shutdown_timeout = 60, .mem_kib = 131072, .memdev = 23,
	    .netns = "lab", .taps = "uml0 uml1", .nics = "uml0 uml1 ext0",
	    .nicerr = "uml_tap: failed \\x1b",
	    .confine = "Landlock ABI 7 (files), sockets AF_UNIX only",
	    .swap = true }, back;
	char buf[KRECORD_MAX];

	(void)state;
	assert_int_equal(krecord_encode(&k, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "kpid=4242\nkstart=123456789\nkuid=999\n"
	    "shutdown_timeout=60\nmem_kib=131072\nmemdev=23\nnetns=lab\n"
	    "taps=uml0 uml1\nnics=uml0 uml1 ext0\nhung=0\n"
	    "nicerr=uml_tap: failed \\x1b\n"
	    "confine=Landlock ABI 7 (files), sockets AF_UNIX only\n"
	    "suspended=0\nswap=1\nbackup=0 0 0 0\n");
	assert_int_equal(krecord_decode(buf, &back), 0);
	assert_true(back.swap);
	assert_true(back.bk_known && back.bk.pid == 0);
	assert_int_equal(back.kpid, 4242);
	assert_true(back.kstart == 123456789ULL);
	assert_int_equal(back.kuid, 999);
	assert_int_equal(back.shutdown_timeout, 60);
	assert_true(back.mem_kib == 131072 && back.memdev == 23);
	assert_string_equal(back.netns, "lab");
	assert_string_equal(back.taps, "uml0 uml1");
	assert_string_equal(back.nics, "uml0 uml1 ext0");
	assert_string_equal(back.nicerr, "uml_tap: failed \\x1b");
	assert_string_equal(back.confine,
	    "Landlock ABI 7 (files), sockets AF_UNIX only");
	/* Unknown keys are skipped; the identity is required. */
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\nnew=x\n",
	    &back), 0);
	assert_int_equal(back.shutdown_timeout, 0);
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\n", &back), -1);
	assert_int_equal(back.kpid, 0);
	assert_int_equal(krecord_decode("kpid=1\nkstart=2\nkuid=3\n", &back), -1);
	assert_int_equal(krecord_decode("kpid=4x\nkstart=2\nkuid=3\n", &back), -1);
	assert_int_equal(krecord_decode("kpid=99999999999\nkstart=2\nkuid=3\n",
	    &back), -1);
	assert_int_equal(krecord_decode("x", &back), -1);
	assert_int_equal(krecord_encode(&k, buf, 8), -1);
	/* Disk files: only those it has; a broken one is none. */
	k.disk[DISK_ROOT] = (struct diskid){ 2049, 1234567 };
	k.disk[DISK_BASE] = (struct diskid){ 18446744073709551615ULL, 7 };
	assert_int_equal(krecord_encode(&k, buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "\ndisk_root=2049:1234567\n"
	    "disk_base=18446744073709551615:7\n"));
	assert_null(strstr(buf, "disk_swap"));
	assert_int_equal(krecord_decode(buf, &back), 0);
	assert_true(back.disk[DISK_ROOT].dev == 2049 &&
	    back.disk[DISK_ROOT].ino == 1234567);
	assert_true(back.disk[DISK_SWAP].ino == 0);
	assert_true(back.disk[DISK_BASE].ino == 7);
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\n"
	    "disk_root=1:0\ndisk_swap=x:2\ndisk_base=3\n", &back), 0);
	assert_true(back.disk[DISK_ROOT].ino == 0 &&
	    back.disk[DISK_SWAP].ino == 0 && back.disk[DISK_BASE].ino == 0);
	assert_string_equal(disk_var(DISK_SWAP), "SWAP");
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\n"
	    "suspended=1700000000\n", &back), 0);
	assert_true(back.suspended == 1700000000ULL);
	assert_string_equal(disk_var(DISK_BASE), "BASE_IMAGE");
	/* The backup's hold: four numbers, each bounded; else none. */
	k.bk = (struct bkrec){ 31337, BK_DONE, BKS_SEEN, 123 };
	assert_int_equal(krecord_encode(&k, buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "\nbackup=31337 3 1 123\n"));
	assert_int_equal(krecord_decode(buf, &back), 0);
	assert_true(back.bk_known && back.bk.pid == 31337 &&
	    back.bk.phase == BK_DONE && back.bk.sync == BKS_SEEN &&
	    back.bk.ms == 123);
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\n", &back), 0);
	assert_false(back.bk_known);
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\n"
	    "backup=7 9 0 0\n", &back), 0);
	assert_false(back.bk_known);
	assert_true(back.bk.pid == 0);
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\n"
	    "backup=7 2 1\n", &back), 0);
	assert_false(back.bk_known);
	assert_int_equal(krecord_decode("kpid=42\nkstart=2\nkuid=3\n"
	    "backup=7 2 1 5 6\nswap=1\n", &back), 0);
	assert_false(back.bk_known);
	assert_true(back.swap);
	strcpy(k.taps, "a\nkpid=7");
	assert_int_equal(krecord_encode(&k, buf, sizeof(buf)), -1);
}

/* Every field at its longest still fits KRECORD_MAX, the size rundir_rec.c
 * reads and writes the record with (it was 512: a guest's long NIC error
 * line stopped every later record). */
static void
test_krecord_longest(void **state)
{
	struct krecord k = { .kpid = 4194303, .kstart = ~0ULL, .kuid = ~0U,
	    .shutdown_timeout = ~0U, .mem_kib = ~0ULL, .memdev = ~0ULL,
	    .hung = ~0ULL, .suspended = ~0ULL, .swap = true,
	    .bk = { .pid = 4194303, .phase = BK_REFUSED, .sync = BKS_REFUSED,
	    .ms = ~0ULL } }, back;
	char buf[KRECORD_MAX];
	size_t i;

	(void)state;
	memset(k.netns, 'n', sizeof(k.netns) - 1);
	memset(k.taps, 't', sizeof(k.taps) - 1);
	memset(k.nics, 'i', sizeof(k.nics) - 1);
	memset(k.nicerr, 'e', sizeof(k.nicerr) - 1);
	memset(k.confine, 'c', sizeof(k.confine) - 1);
	for (i = 0; i < DISK_KINDS; i++)
		k.disk[i] = (struct diskid){ ~0ULL, ~0ULL };
	assert_int_equal(krecord_encode(&k, buf, sizeof(buf)), 0);
	assert_int_equal(krecord_decode(buf, &back), 0);
	assert_string_equal(back.nicerr, k.nicerr);
	assert_true(back.bk_known && back.bk.ms == ~0ULL);
	assert_true(back.disk[DISK_BASE].ino == ~0ULL);
}

static void
test_stops(void **state)
{
	struct stops st = { .n = { 0 } }, back;
	char buf[256];

	(void)state;
	st.n[RS_GRACEFUL] = 3;
	st.n[RS_FORCED] = 18446744073709551615ULL;
	assert_int_equal(stops_encode(&st, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "poweroff 0\ngraceful 3\n"
	    "forced 18446744073709551615\ncrashed 0\nfailed 0\n");
	assert_int_equal(stops_decode(buf, &back), 0);
	assert_memory_equal(&st, &back, sizeof(st));
	assert_int_equal(stops_encode(&st, buf, 20), -1);
	/* Only the ending states, whole lines, digits that fit. */
	assert_int_equal(stops_decode("running 1\n", &back), -1);
	assert_int_equal(stops_decode("graceful 1", &back), -1);
	assert_int_equal(stops_decode("graceful -1\n", &back), -1);
	assert_int_equal(stops_decode("graceful 18446744073709551616\n",
	    &back), -1);
	assert_int_equal(back.n[RS_GRACEFUL], 0);
	assert_int_equal(stops_decode("", &back), 0);
	assert_int_equal(stops_decode("crashed 2\n", &back), 0);
	assert_int_equal(back.n[RS_CRASHED], 2);
	assert_true(run_state_ends(RS_FAILED));
	assert_false(run_state_ends(RS_RUNNING));
	assert_false(run_state_ends(RS_ORPHANED));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_and_statuses),
		cmocka_unit_test(test_outcome_roundtrip),
		cmocka_unit_test(test_outcome_refuses),
		cmocka_unit_test(test_krecord),
		cmocka_unit_test(test_krecord_longest),
		cmocka_unit_test(test_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
