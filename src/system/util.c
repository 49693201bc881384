/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * util.c: error reporting.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

static void (*log_sink)(void *, const char *, size_t);
static void *log_arg;
static bool to_syslog;

PRINTF(1, 0) static void vmsg(const char *fmt, va_list ap, int errnum)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (to_syslog)
		syslog(LOG_WARNING, "%s%s%s", buf, errnum ? ": " : "",
		    errnum ? strerror(errnum) : "");
	if (errnum)
		fprintf(stderr, "umlctl: %s: %s\n", buf, strerror(errnum));
	else
		fprintf(stderr, "umlctl: %s\n", buf);
}

void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
}

void
warnmsg_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
}

void
die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, 0);
	va_end(ap);
	exit(status);
}

void
die_errno(int status, const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap, e);
	va_end(ap);
	exit(status);
}

void
log_set_syslog(const char *ident)
{
	static char id[64];

	if (to_syslog)
		closelog();
	to_syslog = ident != NULL;
	if (!to_syslog)
		return;
	snprintf(id, sizeof(id), "%s", ident);
	openlog(id, LOG_PID, LOG_DAEMON);
}

/* Where logmsg's lines go from now on (the console log); NULL: stderr. */
void
log_set_sink(void (*fn)(void *, const char *, size_t), void *arg)
{
	log_sink = fn;
	log_arg = arg;
}

PRINTF(2, 0) static void
vlog(int prio, const char *fmt, va_list ap)
{
	char msg[1024], line[1200];
	struct timespec ts;
	struct tm tm;
	int n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (to_syslog)
		syslog(prio, "%s", msg);
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "umlctl: %04d-%02d-%02d "
	    "%02d:%02d:%02d.%03ld: %s\n", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    ts.tv_nsec / 1000000, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	/* With a console log, progress goes there only; failures use
	 * warnmsg. */
	if (log_sink)
		log_sink(log_arg, line, (size_t)n);
	else
		fprintf(stderr, "umlctl: %s\n", msg);
}

void
logmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
logwarn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
xsnprintf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

int
write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
