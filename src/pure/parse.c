/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * parse.c: values of single configuration variables.  Pure code.
 *
 * Every parser is strict: it accepts one spelling of each value and says
 * what it expected otherwise.  Reasons are short; guestconf.c prefixes them
 * with the variable's name and value.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "chars.h"
#include "guest.h"
#include "parse.h"

#define SIZE_HINT	"use 128M, 128MB, 1G or 131072K"

/* Decimal digits only, no sign, no leading zero; *v saturates at limit+1. */
static int
decimal(const char *s, size_t n, uint64_t limit, uint64_t *v)
{
	uint64_t acc = 0;
	size_t i;

	if (n == 0 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (!ch_digit((unsigned char)s[i]))
			return -1;
		/* Saturate instead of overflowing: the caller only needs ">
		 * limit". */
		if (acc <= limit)
			acc = acc * 10 + (uint64_t)(s[i] - '0');
	}
	*v = acc > limit ? limit + 1 : acc;
	return 0;
}

/* The multiplier of a size unit, 0 if it is not one. */
static uint64_t
size_unit(const char *u)
{
	/* KB and MB are binary, like the kernel's own mem= parser. */
	static const struct { const char *name; uint64_t kib; } units[] = {
		{ "K", 1 }, { "KB", 1 },
		{ "M", 1024 }, { "MB", 1024 },
		{ "G", 1024 * 1024 }, { "GB", 1024 * 1024 },
	};
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(u, units[i].name) == 0)
			return units[i].kib;
	return 0;
}

/* True if u is a unit but for its case ("128m"): worth its own message. */
static int
unit_wrong_case(const char *u)
{
	char up[3];
	size_t i, n = strlen(u);

	if (n == 0 || n > 2)
		return 0;
	for (i = 0; i < n; i++)
		up[i] = (char)((u[i] >= 'a' && u[i] <= 'z') ? u[i] - 'a' + 'A' :
		    u[i]);
	up[n] = '\0';
	return size_unit(up) != 0;
}

void
format_size(uint64_t kib, char *buf, size_t len)
{
	if (kib % (1024 * 1024) == 0)
		snprintf(buf, len, "%lluG", (unsigned long long)(kib / 1024 /
		    1024));
	else if (kib % 1024 == 0)
		snprintf(buf, len, "%lluM", (unsigned long long)(kib / 1024));
	else
		snprintf(buf, len, "%lluK", (unsigned long long)kib);
}

int
parse_size_in(const char *s, uint64_t min, uint64_t max, const char *why_min,
    uint64_t *kib, char *err, size_t errlen)
{
	size_t ndig = strspn(s, "0123456789");
	const char *unit = s + ndig;
	uint64_t mult, limit, v;
	char bound[32];

	if (*s == '\0')
		return ch_fail(err, errlen, "empty (" SIZE_HINT ")");
	if (ndig == 0)
		return ch_fail(err, errlen, "not a size (" SIZE_HINT ")");
	if (*unit == '\0')
		return ch_fail(err, errlen, "no unit (" SIZE_HINT ")");
	if ((mult = size_unit(unit)) == 0) {
		if (unit_wrong_case(unit))
			return ch_fail(err, errlen, "unit \"%s\" must be upper "
			    "case: K, M, G, KB, MB or GB", unit);
		return ch_fail(err, errlen, "not a size (" SIZE_HINT ")");
	}
	if (ndig > 1 && s[0] == '0')
		return ch_fail(err, errlen, "leading zero (" SIZE_HINT ")");
	limit = max / mult;
	if (decimal(s, ndig, limit, &v) < 0)
		return ch_fail(err, errlen, "not a size (" SIZE_HINT ")");
	format_size(max, bound, sizeof(bound));
	if (v > limit)
		return ch_fail(err, errlen, "too large (at most %s)", bound);
	format_size(min, bound, sizeof(bound));
	if (v * mult < min)
		return ch_fail(err, errlen, "too small (at least %s%s%s)",
		    bound, why_min ? ": " : "", why_min ? why_min : "");
	*kib = v * mult;
	return 0;
}

int
parse_size_kib(const char *s, uint64_t *kib, char *err, size_t errlen)
{
	return parse_size_in(s, MEM_MIN_KIB, MEM_MAX_KIB,
	    "a smaller UML kernel panics at boot", kib, err, errlen);
}

static int
parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	uint64_t v;

	if (decimal(s, strlen(s), max, &v) < 0 || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int
parse_cpus(const char *s, unsigned max, unsigned *out, char *err, size_t errlen)
{
	if (parse_uint(s, 1, max, out) < 0)
		return ch_fail(err, errlen, "not a whole number of CPUs from 1 "
		    "to %u", max);
	return 0;
}

int
parse_seconds(const char *s, unsigned max, unsigned *out, char *err, size_t
    errlen)
{
	if (parse_uint(s, 1, max, out) < 0)
		return ch_fail(err, errlen,
		    "not a whole number of seconds from 1 to %u", max);
	return 0;
}

int
parse_count(const char *s, unsigned max, unsigned *out, char *err, size_t
    errlen)
{
	if (parse_uint(s, 0, max, out) < 0)
		return ch_fail(err, errlen, "not a whole number from 0 to %u",
		    max);
	return 0;
}

/* ASCII only: strcasecmp(3) follows the locale (think Turkish 'I'). */
static int
same_ignoring_case(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;

		if ((x >= 'A' && x <= 'Z' ? x - 'A' + 'a' : x) != y)
			return 0;
	}
	return *a == *b;
}

/* words are lower case. */
static int
word_in(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (same_ignoring_case(s, *words))
			return 1;
	return 0;
}

int
parse_bool(const char *s, bool *out, char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "on", "1", NULL };
	static const char *const no[] = { "no", "false", "off", "0", NULL };

	/* OpenRC's yesno treats an empty value as "no" without a warning. */
	if (*s == '\0' || word_in(s, no)) {
		*out = false;
		return 0;
	}
	if (word_in(s, yes)) {
		*out = true;
		return 0;
	}
	return ch_fail(err, errlen, "not yes or no (use yes, no, true, false, "
	    "on, off, 1 or 0)");
}

/*
 * Every byte of s a letter, a digit or one of extra; else the first other
 * one named, and hint in parentheses.
 */
static int
only(const char *s, const char *extra, const char *hint, char *err,
    size_t errlen)
{
	char what[16];

	for (; *s; s++)
		if (!ch_alnum((unsigned char)*s) && !strchr(extra, *s)) {
			ch_describe((unsigned char)*s, what, sizeof(what));
			return ch_fail(err, errlen, "contains %s (%s)", what,
			    hint);
		}
	return 0;
}

int
parse_name(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n == 0)
		return ch_fail(err, errlen, "empty");
	if (n > NAME_LEN_MAX)
		return ch_fail(err, errlen, "longer than %d bytes",
		    NAME_LEN_MAX);
	if (!ch_alnum((unsigned char)s[0]))
		return ch_fail(err, errlen, "must start with a letter or a "
		    "digit");
	return only(s, "_-", "use letters, digits, '_' and '-'", err,
	    errlen);
}

int
parse_user(const char *s, char *err, size_t errlen)
{
	char what[16];
	size_t i, n = strlen(s);

	if (n == 0)
		return ch_fail(err, errlen, "empty");
	if (n > USER_LEN_MAX)
		return ch_fail(err, errlen, "longer than %d bytes",
		    USER_LEN_MAX);
	if (!ch_lower((unsigned char)s[0]) && s[0] != '_')
		return ch_fail(err, errlen, "must start with a lower case "
		    "letter or '_'");
	for (i = 1; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		/* A final '$' is allowed: Samba machine accounts use it. */
		if (c == '$' && i == n - 1)
			continue;
		if (!ch_lower(c) && !ch_digit(c) && c != '_' && c != '-') {
			ch_describe(c, what, sizeof(what));
			return ch_fail(err, errlen, "contains %s (use lower "
			    "case letters, digits, '_' and '-')", what);
		}
	}
	return 0;
}

int
parse_service(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return ch_fail(err, errlen, "not 1 to 64 bytes long");
	if (s[0] == '.')
		return ch_fail(err, errlen, "starts with '.'");
	return only(s, "._@+-", "a service name is made of letters, digits "
	    "and ._@+-", err, errlen);
}

int
parse_ifname(const char *s, char *err, size_t errlen)
{
	size_t n = strlen(s);

	if (n == 0)
		return ch_fail(err, errlen, "empty");
	if (n > IFNAME_LEN_MAX)
		return ch_fail(err, errlen, "longer than %d bytes (the "
		    "kernel's limit for interface names)", IFNAME_LEN_MAX);
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return ch_fail(err, errlen, "not an interface name");
	return only(s, "_.-", "use letters, digits, '_', '.' and '-'", err,
	    errlen);
}

int
parse_mac(const char *s, unsigned char mac[6], char *err, size_t errlen)
{
	unsigned char m[6];
	size_t i;

	if (strlen(s) != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		int hi = ch_hex((unsigned char)s[3 * i]);
		int lo = ch_hex((unsigned char)s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			goto bad;
		m[i] = (unsigned char)(hi << 4 | lo);
	}
	/* UML replaces an invalid MAC with a random one on every boot. */
	if (m[0] & 0x01)
		return ch_fail(err, errlen, "a multicast MAC (UML would pick a "
		    "random one; the first octet must be even)");
	if ((m[0] | m[1] | m[2] | m[3] | m[4] | m[5]) == 0)
		return ch_fail(err, errlen, "the all-zero MAC (UML would pick "
		    "a random one)");
	memcpy(mac, m, 6);
	return 0;
bad:
	return ch_fail(err, errlen, "not a MAC (use six hex octets separated "
	    "by ':', such as 52:54:00:12:34:56)");
}

void
format_mac(const unsigned char mac[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

void
derive_mac(const char *seed, const char *name, unsigned index,
    unsigned char mac[6])
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a offset basis */
	unsigned char idx[4];
	size_t i, n = strlen(name), ns = strlen(seed);

	/* The host first, with its 0 byte; no seed: the MACs of before. */
	for (i = 0; ns && i <= ns; i++)
		h = (h ^ (unsigned char)seed[i]) * 0x100000001b3ULL;
	/* The 0 byte keeps ("a", 1) and ("a\1", 0)-style inputs apart. */
	for (i = 0; i <= n; i++)
		h = (h ^ (unsigned char)name[i]) * 0x100000001b3ULL;
	/* Fixed byte order: the MAC must not depend on the host. */
	for (i = 0; i < 4; i++)
		idx[i] = (unsigned char)(index >> (8 * i));
	for (i = 0; i < 4; i++)
		h = (h ^ idx[i]) * 0x100000001b3ULL;
	/*
	 * FNV's low bytes mix poorly (a product's low bits depend only on
	 * the operands' low bits); a MurmurHash3 finaliser spreads every
	 * input bit over all six bytes we keep.
	 */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	for (i = 0; i < 6; i++)
		mac[i] = (unsigned char)(h >> (8 * i));
	/* Locally administered (bit 1) and unicast (bit 0 clear). */
	mac[0] = (unsigned char)((mac[0] & 0xfc) | 0x02);
}

void
tap_var_name(const char *prefix, const char *tap, char *buf, size_t buflen)
{
	size_t n;

	if (buflen == 0)
		return;
	snprintf(buf, buflen, "%s%s", prefix, tap);
	/* sh variable names allow only [A-Za-z0-9_]. */
	for (n = strlen(prefix); n < buflen && buf[n] != '\0'; n++)
		if (!ch_alnum((unsigned char)buf[n]) && buf[n] != '_')
			buf[n] = '_';
}
