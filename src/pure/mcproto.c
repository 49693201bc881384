/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mcproto.c: UML management console packets.  Pure.
 *
 * Layouts follow arch/um/drivers/mconsole.h: native byte order, 32-bit
 * fields, 512 data bytes.  Datagrams come from a process running as the
 * guest's user, so the decoders treat every byte as hostile: nothing is
 * read beyond n, and the result is always a NUL-terminated string.
 */
#include <stdio.h>
#include <string.h>

#include "mcproto.h"

int
mc_encode(const char *cmd, struct mc_request *req)
{
	size_t i, n = strnlen(cmd, MC_DATA_MAX);

	/* The kernel refuses len >= MC_DATA_MAX ("Request too large"). */
	if (n == 0 || n >= MC_DATA_MAX)
		return -1;
	/* It also parses the text as words: no control characters. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)cmd[i];

		if (c < 0x20 || c == 0x7f)
			return -1;
	}
	memset(req, 0, sizeof(*req));
	req->magic = MC_MAGIC;
	req->version = MC_VERSION;
	req->len = (uint32_t)n;
	memcpy(req->data, cmd, n);
	return 0;
}

/* A 32-bit field at byte off; memcpy because buf need not be aligned. */
static uint32_t
field(const unsigned char *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, sizeof(v));
	return v;
}

/*
 * The data that follows a header of hdr bytes, whose len field is at
 * byte lenoff.  len counts the kernel's trailing NUL for replies and
 * most notifications, but not for /proc/mconsole text: stop at the
 * first NUL, else at len.
 */
static int
take_text(const unsigned char *buf, size_t n, size_t hdr, size_t lenoff,
    struct mc_msg *out)
{
	uint32_t len = field(buf, lenoff);
	const unsigned char *nul;

	if (len > MC_DATA_MAX || len > n - hdr)
		return -1;
	memcpy(out->text, buf + hdr, len);
	nul = memchr(out->text, '\0', len);
	out->len = nul != NULL ? (size_t)(nul - (const unsigned char
	    *)out->text) : len;
	out->text[out->len] = '\0';
	return 0;
}

int
mc_decode_reply(const void *buf, size_t n, struct mc_msg *out)
{
	const unsigned char *b = buf;

	memset(out, 0, sizeof(*out));
	if (n < MC_REPLY_HDR)
		return -1;
	out->err = field(b, 0);
	out->more = field(b, 4);
	return take_text(b, n, MC_REPLY_HDR, 8, out);
}

int
mc_decode_notify(const void *buf, size_t n, struct mc_msg *out)
{
	const unsigned char *b = buf;

	memset(out, 0, sizeof(*out));
	if (n < MC_NOTIFY_HDR || field(b, 0) != MC_MAGIC ||
	    field(b, 4) != MC_VERSION)
		return -1;
	out->type = (int32_t)field(b, 8);
	return take_text(b, n, MC_NOTIFY_HDR, 12, out);
}

/*
 * What the guest's /proc/mounts text (init's, `proc 1/mounts') says of its
 * /: the last / mount wins; the initial rootfs is not the guest's disk.
 * Empty text proves nothing (a guest's first `proc' answer may be empty).
 */
enum root_state
mounts_root(const char *mounts)
{
	char dev[256], mnt[256], type[64], opts[512];
	const char *line = mounts;
	enum root_state st = ROOT_UNKNOWN;

	while (line && *line) {
		if (sscanf(line, "%255s %255s %63s %511s", dev, mnt, type,
		    opts) == 4) {
			if (st == ROOT_UNKNOWN)
				st = ROOT_NONE;
			if (strcmp(mnt, "/") == 0 && strcmp(type,
			    "rootfs") != 0)
				st = strncmp(opts, "ro", 2) == 0 &&
				    (opts[2] == ',' || opts[2] == '\0') ?
				    ROOT_RO : ROOT_RW;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return st;
}
