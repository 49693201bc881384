/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * logq.h: what the supervisor writes into a guest's console log, as pure
 * functions: the quoting that keeps umlctl's own lines unforgeable, and the
 * rate limit on the lines the guest can make umlctl write.
 *
 * Every line of the log that starts with "umlctl: " was written by umlctl.
 * The guest's console bytes are copied as they are, except that a line of
 * theirs matching ^>*umlctl: gets one more '>' in front (the "From "
 * quoting of mboxrd, reversible: remove one '>' from such lines).
 */
#ifndef UMLCTL_LOGQ_H
#define UMLCTL_LOGQ_H

#include <stdbool.h>
#include <stddef.h>

#define LOGQ_MARK	"umlctl:"	/* what umlctl's lines start with */
#define LOGQ_HOLD	8		/* a line start held back: "umlctl:" */

struct logq {
	bool mid;			/* inside a line of the guest's */
	size_t nheld;			/* bytes at a line start, held */
	char held[LOGQ_HOLD];		/* while they could be >*umlctl: */
};

/*
 * Quote n bytes of the guest's console from in into out, which must hold
 * LOGQ_OUT(n) bytes; the count written.  A line start that may still turn
 * into >*umlctl: is held in q until the next call or logq_flush().
 */
#define LOGQ_OUT(n)	(2 * (n) + LOGQ_HOLD + 1)
size_t logq_quote(struct logq *q, const char *in, size_t n, char *out);

/*
 * Before a line of umlctl's: the held bytes, and a newline if the guest's
 * line was not finished, so that umlctl's line starts a line; into out
 * (LOGQ_HOLD + 2 bytes); the count.
 */
size_t logq_flush(struct logq *q, char *out);

/*
 * A token bucket: burst lines at once, then one per per_ms.  True if a
 * line may be written at now_ms; false, and dropped counted, if not.
 */
struct rate {
	long long last;		/* when tokens was last refilled */
	unsigned tokens;
	unsigned long dropped;	/* since the last line let through */
	bool started;
};
bool rate_take(struct rate *r, long long now_ms, unsigned burst,
    long long per_ms);

#endif
