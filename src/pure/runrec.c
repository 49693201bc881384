/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * runrec.c: the runtime record's states, words and formats.  Pure.
 */
#include <stdio.h>
#include <string.h>

#include "chars.h"
#include "runrec.h"

static const struct {
	const char *token;	/* in NAME.last */
	const char *words;	/* what a message says */
	int status;		/* umlctl status */
	int stopped;		/* umlctl stop, when the guest ended so */
} states[] = {
	[RS_NONE] = { "none", "stopped", EX_NOTRUNNING, EX_OK },
	[RS_STARTING] = { "starting", "starting", EX_STARTING, EX_SYSTEM },
	[RS_RUNNING] = { "running", "running", EX_OK, EX_SYSTEM },
	[RS_POWEROFF] = { "poweroff", "stopped", EX_NOTRUNNING, EX_OK },
	[RS_GRACEFUL] = { "graceful", "stopped, graceful", EX_NOTRUNNING,
	    EX_OK },
	[RS_FORCED] = { "forced", "stopped, forced", EX_NOTRUNNING, EX_FORCED },
	[RS_CRASHED] = { "crashed", "crashed", EX_CRASHED, EX_CRASHED },
	[RS_FAILED] = { "failed", "failed", EX_NOTRUNNING, EX_NOTRUNNING },
	[RS_ORPHANED] = { "orphaned", "crashed", EX_CRASHED, EX_CRASHED },
	[RS_SUSPENDED] = { "suspended", "suspended", EX_SUSPENDED, EX_SYSTEM },
};

#define NSTATES	(sizeof(states) / sizeof(states[0]))

const char *
run_state_words(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].words : "unknown";
}

const char *
run_state_token(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].token : "unknown";
}

int
run_state_status(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].status : EX_SYSTEM;
}

int
run_state_stop_status(enum run_state s)
{
	return (size_t)s < NSTATES ? states[s].stopped : EX_SYSTEM;
}

const char *
outcome_text(const struct outcome *o, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", run_state_words(o->state),
	    o->detail[0] != '\0' ? ": " : "", o->detail);
	return buf;
}

int
outcome_encode(const struct outcome *o, char *buf, size_t len)
{
	int n;

	if ((size_t)o->state >= NSTATES || strchr(o->detail, '\n') != NULL)
		return -1;
	n = snprintf(buf, len, "%s\t%s\n", states[o->state].token, o->detail);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
outcome_decode(const char *text, struct outcome *o)
{
	size_t i, n = strcspn(text, "\t");
	const char *d = text + n + 1;

	o->state = RS_NONE;
	o->detail[0] = '\0';
	if (text[n] != '\t')
		return -1;
	for (i = 0; i < NSTATES; i++)
		if (strlen(states[i].token) == n &&
		    strncmp(text, states[i].token, n) == 0)
			break;
	if (i == NSTATES || strcspn(d, "\n") >= sizeof(o->detail))
		return -1;
	o->state = (enum run_state)i;
	snprintf(o->detail, sizeof(o->detail), "%.*s", (int)strcspn(d,
	    "\n"), d);
	return 0;
}

static const char *const disk_vars[DISK_KINDS] = {
	[DISK_ROOT] = "ROOT", [DISK_SWAP] = "SWAP", [DISK_BASE] = "BASE_IMAGE",
};
/* Their keys in NAME/state. */
static const char *const disk_keys[DISK_KINDS] = {
	[DISK_ROOT] = "disk_root", [DISK_SWAP] = "disk_swap",
	[DISK_BASE] = "disk_base",
};

const char *
disk_var(enum disk_kind k)
{
	return (size_t)k < DISK_KINDS ? disk_vars[k] : "?";
}

int
krecord_encode(const struct krecord *r, char *buf, size_t len)
{
	size_t i;
	int n;

	if (strpbrk(r->netns, "\n") != NULL || strpbrk(r->taps, "\n") != NULL ||
	    strpbrk(r->nics, "\n") != NULL || strpbrk(r->nicerr, "\n") !=
	    NULL || strpbrk(r->confine, "\n") != NULL)
		return -1;
	n = snprintf(buf, len, "kpid=%d\nkstart=%llu\nkuid=%u\n"
	    "shutdown_timeout=%u\nmem_kib=%llu\nmemdev=%llu\nnetns=%s\n"
	    "taps=%s\nnics=%s\nhung=%llu\nnicerr=%s\nconfine=%s\n"
	    "suspended=%llu\nswap=%d\n", (int)r->kpid, r->kstart,
	    (unsigned)r->kuid, r->shutdown_timeout, r->mem_kib, r->memdev,
	    r->netns, r->taps, r->nics, r->hung, r->nicerr, r->confine,
	    r->suspended, r->swap ? 1 : 0);
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, "backup=%d %u %u %llu\n"
		    "", (int)r->bk.pid, (unsigned)r->bk.phase,
		    (unsigned)r->bk.sync, r->bk.ms);
	for (i = 0; i < DISK_KINDS && n >= 0 && (size_t)n < len; i++)
		if (r->disk[i].ino)
			n += snprintf(buf + n, len - (size_t)n, "%s=%llu:%llu\n"
			    "", disk_keys[i], r->disk[i].dev, r->disk[i].ino);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* A decimal of at most 20 digits into *v; 0 or -1. */
static int
number(const char *s, size_t n, unsigned long long max,
    unsigned long long *v)
{
	size_t i;

	*v = 0;
	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    (unsigned long long)(s[i] - '0') > max ||
		    *v > (max - (unsigned long long)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (unsigned long long)(s[i] - '0');
	}
	return 0;
}

/* "DEV:INO" (n bytes) into d; 0 or -1. */
static int
diskid(const char *s, size_t n, struct diskid *d)
{
	size_t k = strcspn(s, ":");

	if (k >= n || number(s, k, ~0ULL, &d->dev) < 0 ||
	    number(s + k + 1, n - k - 1, ~0ULL, &d->ino) < 0 || d->ino == 0) {
		d->dev = d->ino = 0;
		return -1;
	}
	return 0;
}

/* "PID PHASE SYNC MS" (n bytes) into b; 0 or -1 (b then all 0). */
static int
bkline(const char *s, size_t n, struct bkrec *b)
{
	unsigned long long v[4], max[4] = { 0x7fffffff, BK_PHASES - 1,
	    BKS_KINDS - 1, ~0ULL };
	size_t i, k;

	for (i = 0; i < 4; i++) {
		for (k = 0; k < n && s[k] != ' '; k++)
			;
		if ((i < 3) != (k < n) || number(s, k, max[i], &v[i]) < 0) {
			*b = (struct bkrec){ 0 };
			return -1;
		}
		if (i < 3) {
			s += k + 1;
			n -= k + 1;
		}
	}
	*b = (struct bkrec){ (pid_t)v[0], (enum bk_phase)v[1],
	    (enum bk_sync)v[2], v[3] };
	return 0;
}

/* A disk_* key (k bytes) and its value into r; 0, or -1 if not one. */
static int
disk_line(const char *s, size_t k, const char *v, size_t vn,
    struct krecord *r)
{
	size_t i;

	for (i = 0; i < DISK_KINDS; i++)
		if (strlen(disk_keys[i]) == k && strncmp(s, disk_keys[i], k) ==
		    0) {
			(void)diskid(v, vn, &r->disk[i]);
			return 0;
		}
	return -1;
}

/* One `key=value' line (n bytes) into r; the keys seen go in *seen. */
static int
record_line(const char *s, size_t n, struct krecord *r, unsigned *seen)
{
	size_t k = strcspn(s, "=");
	const char *v = s + k + 1;
	size_t vn = n - k - 1;
	unsigned long long x;

	if (k >= n)
		return -1;
#define KEY(name) (k == sizeof(name) - 1 && strncmp(s, name, k) == 0)
	if (KEY("kpid") && number(v, vn, 0x7fffffff, &x) == 0 && x > 1) {
		r->kpid = (pid_t)x;
		*seen |= 1;
	} else if (KEY("kstart") && number(v, vn, ~0ULL, &r->kstart) == 0)
		*seen |= 2;
	else if (KEY("kuid") && number(v, vn, 0xffffffff, &x) == 0) {
		r->kuid = (uid_t)x;
		*seen |= 4;
	} else if (KEY("shutdown_timeout") && number(v, vn, TIMEOUT_MAX,
	    &x) == 0)
		r->shutdown_timeout = (unsigned)x;
	else if (KEY("mem_kib") && number(v, vn, MEM_MAX_KIB, &x) == 0)
		r->mem_kib = x;
	else if (KEY("memdev") && number(v, vn, ~0ULL, &x) == 0)
		r->memdev = x;
	else if (KEY("netns") && vn < sizeof(r->netns))
		snprintf(r->netns, sizeof(r->netns), "%.*s", (int)vn, v);
	else if (KEY("taps") && vn < sizeof(r->taps))
		snprintf(r->taps, sizeof(r->taps), "%.*s", (int)vn, v);
	else if (KEY("nics") && vn < sizeof(r->nics))
		snprintf(r->nics, sizeof(r->nics), "%.*s", (int)vn, v);
	else if (KEY("hung") && number(v, vn, ~0ULL, &x) == 0)
		r->hung = x;
	else if (KEY("suspended") && number(v, vn, ~0ULL, &x) == 0)
		r->suspended = x;
	else if (KEY("nicerr") && vn < sizeof(r->nicerr))
		snprintf(r->nicerr, sizeof(r->nicerr), "%.*s", (int)vn, v);
	else if (KEY("confine") && vn < sizeof(r->confine))
		snprintf(r->confine, sizeof(r->confine), "%.*s", (int)vn, v);
	else if (KEY("swap") && number(v, vn, 1, &x) == 0)
		r->swap = x == 1;
	else if (KEY("backup") && bkline(v, vn, &r->bk) == 0)
		r->bk_known = true;
	else if (disk_line(s, k, v, vn, r) == 0)
		;
	else if (KEY("kpid") || KEY("kstart") || KEY("kuid"))
		return -1;
#undef KEY
	return 0;
}

int
krecord_decode(const char *text, struct krecord *r)
{
	unsigned seen = 0;
	size_t n;

	memset(r, 0, sizeof(*r));
	for (; *text != '\0'; text += n + (text[n] == '\n')) {
		n = strcspn(text, "\n");
		if (n > 0 && record_line(text, n, r, &seen) < 0)
			break;
	}
	if (seen != 7) {
		memset(r, 0, sizeof(*r));
		return -1;
	}
	return 0;
}

int
run_state_ends(enum run_state s)
{
	return s == RS_POWEROFF || s == RS_GRACEFUL || s == RS_FORCED ||
	    s == RS_CRASHED || s == RS_FAILED;
}

int
stops_encode(const struct stops *st, char *buf, size_t len)
{
	size_t i, off = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < NSTATES; i++) {
		if (!run_state_ends((enum run_state)i))
			continue;
		n = snprintf(buf + off, len - off, "%s %llu\n", states[i].token,
		    st->n[i]);
		if (n < 0 || (size_t)n >= len - off)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

/* One `TOKEN COUNT' line at *p into st; the next line, or NULL. */
static const char *
stops_line(const char *p, struct stops *st)
{
	size_t i, n = strcspn(p, " ");
	unsigned long long v = 0;
	const char *d = p + n + 1;

	if (p[n] != ' ' || !ch_digit((unsigned char)*d))
		return NULL;
	for (i = 0; i < NSTATES; i++)
		if (run_state_ends((enum run_state)i) &&
		    strlen(states[i].token) == n &&
		    strncmp(p, states[i].token, n) == 0)
			break;
	if (i == NSTATES)
		return NULL;
	for (; ch_digit((unsigned char)*d); d++) {
		if (v > (~0ULL - (unsigned long long)(*d - '0')) / 10)
			return NULL;
		v = v * 10 + (unsigned long long)(*d - '0');
	}
	if (*d != '\n')
		return NULL;
	st->n[i] = v;
	return d + 1;
}

int
stops_decode(const char *text, struct stops *st)
{
	const char *p = text;

	memset(st, 0, sizeof(*st));
	while (*p)
		if (!(p = stops_line(p, st))) {
			memset(st, 0, sizeof(*st));
			return -1;
		}
	return 0;
}
