/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * test_mcproto.c: mconsole packets as the kernel builds and reads them
 * (arch/um/drivers/mconsole.h, mconsole_user.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "mcproto.h"

/* The kernel's own structures, to check layout and sizes against. */
struct kreply {
	uint32_t err;
	uint32_t more;
	uint32_t len;
	char data[MC_DATA_MAX];
};

struct knotify {
	uint32_t magic;
	uint32_t version;
	int32_t type;
	uint32_t len;
	char data[MC_DATA_MAX];
};

static struct mc_msg m;

static void
test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct mc_request), 524);
	assert_int_equal(offsetof(struct mc_request, data), 12);
	assert_int_equal(offsetof(struct kreply, data), MC_REPLY_HDR);
	assert_int_equal(offsetof(struct knotify, data), MC_NOTIFY_HDR);
}

static void
test_encode(void **state)
{
	struct mc_request req;
	char zero[MC_DATA_MAX] = { 0 };

	(void)state;
	memset(&req, 0xaa, sizeof(req));
	assert_int_equal(mc_encode("sysrq s", &req), 0);
	assert_int_equal(req.magic, 0xcafebabe);
	assert_int_equal(req.version, 2);
	assert_int_equal(req.len, 7);
	assert_memory_equal(req.data, "sysrq s", 7);
	/* The rest is zeroed: no stack bytes go out in the datagram. */
	assert_memory_equal(req.data + 7, zero, MC_DATA_MAX - 7);
}

static void
test_encode_limits(void **state)
{
	struct mc_request req;
	char cmd[MC_DATA_MAX + 2];

	(void)state;
	memset(cmd, 'a', sizeof(cmd));
	cmd[MC_DATA_MAX - 1] = '\0';		/* 511 bytes: the kernel's max */
	assert_int_equal(mc_encode(cmd, &req), 0);
	assert_int_equal(req.len, MC_DATA_MAX - 1);
	cmd[MC_DATA_MAX - 1] = 'a';
	cmd[MC_DATA_MAX] = '\0';		/* 512: "Request too large" */
	assert_int_equal(mc_encode(cmd, &req), -1);
	cmd[MC_DATA_MAX] = 'a';
	cmd[MC_DATA_MAX + 1] = '\0';
	assert_int_equal(mc_encode(cmd, &req), -1);
	assert_int_equal(mc_encode("", &req), -1);
	assert_int_equal(mc_encode("log a\nb", &req), -1);
	assert_int_equal(mc_encode("halt\r", &req), -1);
	assert_int_equal(mc_encode("a\tb", &req), -1);
	assert_int_equal(mc_encode("a\x7f", &req), -1);
	assert_int_equal(mc_encode("log caf\xc3\xa9", &req), 0);
}

/* A reply as mconsole_reply_len() sends it: len counts the NUL. */
static size_t
reply(struct kreply *r, uint32_t err, uint32_t more, const char *text)
{
	size_t n = strlen(text);

	memset(r, 0, sizeof(*r));
	r->err = err;
	r->more = more;
	memcpy(r->data, text, n);
	r->len = (uint32_t)n + 1;
	return MC_REPLY_HDR + n + 1;
}

static void
test_reply(void **state)
{
	struct kreply r;
	size_t n;

	(void)state;
	n = reply(&r, 0, 0, "OK Linux 6.1.0");
	assert_int_equal(mc_decode_reply(&r, n, &m), 0);
	assert_int_equal(m.err, 0);
	assert_int_equal(m.more, 0);
	assert_int_equal(m.len, 14);
	assert_string_equal(m.text, "OK Linux 6.1.0");
	n = reply(&r, 1, 1, "Sysrq not compiled in");
	assert_int_equal(mc_decode_reply(&r, n, &m), 0);
	assert_int_equal(m.err, 1);
	assert_int_equal(m.more, 1);
	assert_string_equal(m.text, "Sysrq not compiled in");
	/* Empty answers: len 1 (just the NUL) and len 0. */
	n = reply(&r, 0, 0, "");
	assert_int_equal(mc_decode_reply(&r, n, &m), 0);
	assert_int_equal(m.len, 0);
	assert_string_equal(m.text, "");
	r.len = 0;
	assert_int_equal(mc_decode_reply(&r, MC_REPLY_HDR, &m), 0);
	assert_int_equal(m.len, 0);
	/* Extra bytes after len are ignored. */
	n = reply(&r, 0, 0, "x");
	assert_int_equal(mc_decode_reply(&r, sizeof(r), &m), 0);
	assert_string_equal(m.text, "x");
}

static void
test_reply_hostile(void **state)
{
	unsigned char buf[MC_REPLY_HDR + MC_DATA_MAX] = { 0 };
	struct kreply r;
	size_t n;

	(void)state;
	assert_int_equal(mc_decode_reply(buf, 0, &m), -1);
	n = reply(&r, 0, 0, "hello");
	assert_int_equal(mc_decode_reply(&r, MC_REPLY_HDR - 1, &m), -1);
	/* len says 6, only 5 bytes came. */
	assert_int_equal(mc_decode_reply(&r, n - 1, &m), -1);
	assert_string_equal(m.text, "");
	r.len = MC_DATA_MAX + 1;
	assert_int_equal(mc_decode_reply(&r, sizeof(r), &m), -1);
	r.len = 0xffffffff;
	assert_int_equal(mc_decode_reply(&r, sizeof(r), &m), -1);
	/* No NUL at all, data full: cut at len, still terminated. */
	memset(&r, 'z', sizeof(r));
	r.len = MC_DATA_MAX;
	assert_int_equal(mc_decode_reply(&r, sizeof(r), &m), 0);
	assert_int_equal(m.len, MC_DATA_MAX);
	assert_int_equal(strlen(m.text), MC_DATA_MAX);
	/* An early NUL ends the text. */
	n = reply(&r, 0, 0, "ab");
	r.data[1] = '\0';
	assert_int_equal(mc_decode_reply(&r, n, &m), 0);
	assert_int_equal(m.len, 1);
	assert_string_equal(m.text, "a");
	/* Unaligned buffers are fine. */
	n = reply(&r, 7, 0, "odd");
	memcpy(buf + 1, &r, n);
	assert_int_equal(mc_decode_reply(buf + 1, n, &m), 0);
	assert_int_equal(m.err, 7);
	assert_string_equal(m.text, "odd");
}

/* A notification as mconsole_notify() sends it. */
static size_t
notify(struct knotify *p, int32_t type, const void *data, size_t len)
{
	memset(p, 0, sizeof(*p));
	p->magic = MC_MAGIC;
	p->version = MC_VERSION;
	p->type = type;
	p->len = (uint32_t)len;
	memcpy(p->data, data, len);
	return MC_NOTIFY_HDR + len;
}

static void
test_notify(void **state)
{
	static const char sock[] = "/run/uml/router/u/router/mconsole";
	struct knotify p;
	size_t n;

	(void)state;
	n = notify(&p, MC_NOTIFY_SOCKET, sock, sizeof(sock));	/* with NUL */
	assert_int_equal(mc_decode_notify(&p, n, &m), 0);
	assert_int_equal(m.type, MC_NOTIFY_SOCKET);
	assert_string_equal(m.text, sock);
	assert_int_equal(m.len, strlen(sock));
	n = notify(&p, MC_NOTIFY_PANIC, "Kernel panic - not syncing: x", 30);
	assert_int_equal(mc_decode_notify(&p, n, &m), 0);
	assert_int_equal(m.type, MC_NOTIFY_PANIC);
	assert_string_equal(m.text, "Kernel panic - not syncing: x");
	/* /proc/mconsole writes carry no NUL. */
	n = notify(&p, MC_NOTIFY_USER, "ready\n", 6);
	assert_int_equal(mc_decode_notify(&p, n, &m), 0);
	assert_int_equal(m.type, MC_NOTIFY_USER);
	assert_int_equal(m.len, 6);
	assert_string_equal(m.text, "ready\n");
	n = notify(&p, MC_NOTIFY_HANG, "", 0);
	assert_int_equal(mc_decode_notify(&p, n, &m), 0);
	assert_int_equal(m.type, MC_NOTIFY_HANG);
	assert_string_equal(m.text, "");
	/* Unknown types are reported, the caller decides. */
	n = notify(&p, -5, "x", 1);
	assert_int_equal(mc_decode_notify(&p, n, &m), 0);
	assert_int_equal(m.type, -5);
}

static void
test_notify_hostile(void **state)
{
	struct knotify p;
	size_t n;

	(void)state;
	n = notify(&p, MC_NOTIFY_USER, "ready", 5);
	assert_int_equal(mc_decode_notify(&p, MC_NOTIFY_HDR - 1, &m), -1);
	assert_int_equal(mc_decode_notify(&p, n - 1, &m), -1);
	p.magic = 0xbebafeca;			/* the other byte order */
	assert_int_equal(mc_decode_notify(&p, n, &m), -1);
	p.magic = MC_MAGIC;
	p.version = 1;
	assert_int_equal(mc_decode_notify(&p, n, &m), -1);
	p.version = MC_VERSION;
	p.len = MC_DATA_MAX + 1;
	assert_int_equal(mc_decode_notify(&p, sizeof(p), &m), -1);
	/* Full and unterminated. */
	memset(p.data, 'y', sizeof(p.data));
	p.len = MC_DATA_MAX;
	assert_int_equal(mc_decode_notify(&p, sizeof(p), &m), 0);
	assert_int_equal(m.len, MC_DATA_MAX);
	assert_int_equal(m.text[MC_DATA_MAX], '\0');
	assert_int_equal(mc_decode_notify(&p, sizeof(p) - 1, &m), -1);
}

static void
test_mounts_root(void **state)
{
	(void)state;
	assert_int_equal(mounts_root("/dev/root / ext2 ro,relatime 0 0\n"
	    "proc /proc proc rw 0 0\n"), ROOT_RO);
	assert_int_equal(mounts_root("/dev/root / ext2 rw,relatime 0 0\n"),
	    ROOT_RW);
	/* rootfs is the initial ramfs, not the guest's disk. */
	assert_int_equal(mounts_root("rootfs / rootfs ro 0 0\n"
	    "/dev/root / ext2 rw 0 0\n"), ROOT_RW);
	/* The last mount on / is the visible one. */
	assert_int_equal(mounts_root("/dev/root / ext2 rw 0 0\n"
	    "/dev/ubdb / ext2 ro 0 0\n"), ROOT_RO);
	assert_int_equal(mounts_root("/dev/root / ext2 rocky 0 0\n"), ROOT_RW);
	/* 7.x answers start with an empty line. */
	assert_int_equal(mounts_root("\n/dev/root / ext4 ro 0 0\n"), ROOT_RO);
	/* Booting: mounts, but not / yet.  Empty: proves nothing. */
	assert_int_equal(mounts_root("rootfs / rootfs rw 0 0\n"), ROOT_NONE);
	assert_int_equal(mounts_root("proc /proc proc rw 0 0\n"), ROOT_NONE);
	assert_int_equal(mounts_root(""), ROOT_UNKNOWN);
	assert_int_equal(mounts_root("garbage\n"), ROOT_UNKNOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_limits),
		cmocka_unit_test(test_reply),
		cmocka_unit_test(test_reply_hostile),
		cmocka_unit_test(test_notify),
		cmocka_unit_test(test_notify_hostile),
		cmocka_unit_test(test_mounts_root),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
