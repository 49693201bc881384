/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * util.h: error reporting in the style of err(3), with exit statuses.
 */
#ifndef UMLCTL_UTIL_H
#define UMLCTL_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))

/* Print "umlctl: <msg>" (and ": strerror(errno)" for the *_errno forms). */
void warnmsg(const char *fmt, ...) PRINTF(1, 2);
void warnmsg_errno(const char *fmt, ...) PRINTF(1, 2);
NORETURN void die(int status, const char *fmt, ...) PRINTF(2, 3);
NORETURN void die_errno(int status, const char *fmt, ...) PRINTF(2, 3);

/*
 * Where the supervisor's log lines go instead of stderr: the console log
 * (NULL: stderr).  Lines are "umlctl: <date> <time>: <msg>".
 */
void log_set_sink(void (*fn)(void *, const char *, size_t), void *arg);
/*
 * From now on logmsg and the warnings also go to syslog(3), facility
 * daemon, tagged ident (the supervisor's "uml.NAME"); NULL: no more.
 */
void log_set_syslog(const char *ident);
void logmsg(const char *fmt, ...) PRINTF(1, 2);
/* As logmsg, at syslog's warning level. */
void logwarn(const char *fmt, ...) PRINTF(1, 2);

/* Monotonic clock in milliseconds. */
long long now_ms(void);

/* snprintf that reports truncation as -1. */
int xsnprintf(char *buf, size_t len, const char *fmt, ...) PRINTF(3, 4);

/* write(2) all of buf, retrying on EINTR; 0 or -1. */
int write_all(int fd, const void *buf, size_t len);

#endif
