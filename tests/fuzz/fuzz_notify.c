/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fuzz_notify.c: mc_decode_notify on any datagram.
 *
 * Invariants: only the n bytes given are read; an accepted notification
 * has the protocol's magic and version, len <= MC_DATA_MAX and within the
 * datagram, and a NUL-terminated text equal to its data up to the first
 * NUL; everything else is refused.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "mcproto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mc_msg m;
	uint32_t magic, version, len;
	int32_t type;

	if (mc_decode_notify(data, size, &m) < 0)
		return 0;
	assert(size >= MC_NOTIFY_HDR);
	memcpy(&magic, data, 4);
	memcpy(&version, data + 4, 4);
	memcpy(&type, data + 8, 4);
	memcpy(&len, data + 12, 4);
	assert(magic == MC_MAGIC && version == MC_VERSION && m.type == type);
	assert(len <= MC_DATA_MAX && len <= size - MC_NOTIFY_HDR);
	assert(m.len <= len && m.text[m.len] == '\0' && strlen(m.text) == m.len);
	assert(memcmp(m.text, data + MC_NOTIFY_HDR, m.len) == 0);
	assert(m.len == len || data[MC_NOTIFY_HDR + m.len] == '\0');
	return 0;
}
