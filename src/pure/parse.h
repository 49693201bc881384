/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * parse.h: values of single configuration variables.  Pure code.
 *
 * Each parser returns 0 on success or -1 with a short reason in err
 * ("not a size", ...).  The caller adds the variable's name and value.
 */
#ifndef UMLCTL_PARSE_H
#define UMLCTL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* MEMORY: decimal digits then K, M, G, KB, MB or GB (128MB, 128M, 1G,
 * 131072K). */
int parse_size_kib(const char *s, uint64_t *kib, char *err, size_t errlen);

/* kib in its largest exact unit, as the parser reads it: "64M", "1G",
 * "512K". */
void format_size(uint64_t kib, char *buf, size_t len);

/* A size as above, min..max KiB; why_min (or NULL) says why the minimum. */
int parse_size_in(const char *s, uint64_t min, uint64_t max, const char
    *why_min, uint64_t *kib, char *err, size_t errlen);

/* Seconds: decimal 1..max, no sign, no leading zero, no spaces. */
int parse_cpus(const char *s, unsigned max, unsigned *out, char *err, size_t
    errlen);
int parse_seconds(const char *s, unsigned max, unsigned *out, char *err, size_t
    errlen);

/* A small count: decimal 0..max. */
int parse_count(const char *s, unsigned max, unsigned *out, char *err, size_t
    errlen);

/* yes/no, true/false, on/off, 1/0 (OpenRC's yesno, case-insensitive). */
int parse_bool(const char *s, bool *out, char *err, size_t errlen);

/* Instance or namespace name: [A-Za-z0-9][A-Za-z0-9_-]*, at most
 * NAME_LEN_MAX. */
int parse_name(const char *s, char *err, size_t errlen);

/* User name as in passwd: [a-z_][a-z0-9_-]*[$]? at most USER_LEN_MAX. */
int parse_user(const char *s, char *err, size_t errlen);

/* OpenRC service name: 1..64 bytes of [A-Za-z0-9._@+-], not starting
 * with '.' (a file name in /etc/init.d, never a path). */
int parse_service(const char *s, char *err, size_t errlen);

/* Interface name: 1..15 bytes of [A-Za-z0-9_.-], not "." or "..". */
int parse_ifname(const char *s, char *err, size_t errlen);

/* MAC: six two-digit hex octets separated by ':'; unicast only. */
int parse_mac(const char *s, unsigned char mac[6], char *err, size_t errlen);

/* "52:54:00:12:34:56" into buf (at least 18 bytes). */
void format_mac(const unsigned char mac[6], char *buf);

/*
 * A stable, locally administered unicast MAC for NIC number index of guest
 * name: the same on every boot, different across guests and NICs.
 */
void derive_mac(const char *seed, const char *name, unsigned index,
    unsigned char mac[6]);

/*
 * kcmdword.c: a path that goes on the kernel command line: absolute, at most
 * PATH_LEN_MAX - 1 bytes, printable ASCII, and none of the characters
 * UML's parsers split on (',' ':' '=' whitespace), nor '"', which the
 * kernel's command line parser takes as a quote.
 */
int parse_kpath(const char *s, char *err, size_t errlen);
/* HOSTFS: a parse_kpath path spelled plainly (no "." or ".." component,
 * no empty one, no trailing '/'), and not "/". */
int parse_hostpath(const char *s, char *err, size_t errlen);

/*
 * A path that does not go on the kernel command line (UMLDIR, KERNEL,
 * CONSOLE_LOG): absolute, at most PATH_LEN_MAX - 1 bytes, no control
 * characters.
 */
int parse_abspath(const char *s, char *err, size_t errlen);

/*
 * One KERNEL_ARGS word: printable ASCII without whitespace, quotes or
 * backslash, and not a word umlctl itself manages (mem=, umid=, uml_dir=,
 * ubdN, root=, con, ssl, mconsole=, vecN, ethN).
 */
int parse_kword(const char *s, char *err, size_t errlen);

/* The shell name of a per-tap variable: prefix + tap, non-name bytes as '_'. */
void tap_var_name(const char *prefix, const char *tap, char *buf, size_t
    buflen);

#endif
