/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logq.c: quoting of the guest's console lines and the rate limit on the
 * lines it makes umlctl write (logq.h).  Pure.
 */
#include <string.h>

#include "logq.h"

/*
 * One byte at a line start.  The '>'s pass at once (the quote's '>' may
 * come after them: all '>'s are alike); what could become "umlctl:" is held.
 */
static size_t
at_start(struct logq *q, char c, char *out)
{
	size_t m = sizeof(LOGQ_MARK) - 1, o = 0;

	if (q->nheld == 0 && c == '>') {
		out[0] = c;
		return 1;
	}
	q->held[q->nheld++] = c;
	if (memcmp(q->held, LOGQ_MARK, q->nheld) == 0) {
		if (q->nheld < m)
			return 0;
		out[o++] = '>';
	}
	memcpy(out + o, q->held, q->nheld);
	o += q->nheld;
	q->mid = c != '\n';
	q->nheld = 0;
	return o;
}

size_t
logq_quote(struct logq *q, const char *in, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (!q->mid) {
			o += at_start(q, in[i], out + o);
			continue;
		}
		out[o++] = in[i];
		if (in[i] == '\n')
			q->mid = false;
	}
	return o;
}

size_t
logq_flush(struct logq *q, char *out)
{
	size_t o = q->nheld;

	memcpy(out, q->held, o);
	if (o > 0 || q->mid)
		out[o++] = '\n';
	q->nheld = 0;
	q->mid = false;
	return o;
}

bool
rate_take(struct rate *r, long long now_ms, unsigned burst, long long per_ms)
{
	long long gained;

	if (!r->started || now_ms < r->last) {
		r->started = true;
		r->tokens = burst;
		r->last = now_ms;
	}
	gained = per_ms > 0 ? (now_ms - r->last) / per_ms : 0;
	if (gained > 0) {
		r->tokens = gained >= (long long)burst ? burst :
		    r->tokens + (unsigned)gained > burst ? burst :
		    r->tokens + (unsigned)gained;
		r->last += gained * per_ms;
	}
	if (r->tokens == 0) {
		r->dropped++;
		return false;
	}
	r->tokens--;
	return true;
}
