/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * metrics.c: `umlctl metrics', every guest's facts (report.c) in the
 * Prometheus text exposition format (version 0.0.4), on standard output
 * or, with -o FILE, replacing FILE at once (a temporary file in the same
 * directory, renamed) for node_exporter's textfile collector.
 *
 * Each family is written once, with HELP and TYPE, then a sample per
 * guest; a fact that is not known (a guest that does not run has no CPU
 * time) has no sample.  Label values are guest names, state tokens and tap
 * names, which umlctl validated; they are escaped all the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "util.h"

#ifndef UMLCTL_VERSION
#define UMLCTL_VERSION "unknown"
#endif

#define METRICS_GUESTS_MAX	4096

struct fleet {
	const struct ctx *x;
	int basefd;
	size_t n, cap;
	struct gfacts *f;
};

/* A label value by the format's rules: \\, \" and \n; other bytes that
 * are not printable ASCII (none, for validated names) become '?'. */
static void
label(FILE *o, const char *s)
{
	for (; *s; s++)
		if (*s == '\\' || *s == '"')
			fprintf(o, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", o);
		else
			fputc(*s >= ' ' && *s < 127 ? *s : '?', o);
}

static void
family(FILE *o, const char *name, const char *type, const char *help)
{
	fprintf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{guest="G"[,extra]} value */
static void
sample(FILE *o, const char *name, const struct gfacts *f, const char *k,
    const char *v, const char *value)
{
	fprintf(o, "%s{guest=\"", name);
	label(o, f->name);
	if (k && v) {
		fprintf(o, "\",%s=\"", k);
		label(o, v);
	}
	fprintf(o, "\"} %s\n", value);
}

static void
sample_u(FILE *o, const char *name, const struct gfacts *f, const char *k,
    const char *v, unsigned long long value)
{
	char b[24];

	snprintf(b, sizeof(b), "%llu", value);
	sample(o, name, f, k, v, b);
}

static void
gather_one(const char *name, void *arg)
{
	struct fleet *fl = arg;
	struct gfacts *nf;

	if (fl->n == fl->cap) {
		if (fl->cap >= METRICS_GUESTS_MAX)
			die(EX_SYSTEM, "metrics: more than %d guests",
			    METRICS_GUESTS_MAX);
		fl->cap = fl->cap ? fl->cap * 2 : 16;
		if (!(nf = realloc(fl->f, fl->cap * sizeof(*nf))))
			die_errno(EX_SYSTEM, "metrics");
		fl->f = nf;
	}
	report_gather(fl->x, fl->basefd, name, 0, &fl->f[fl->n++]);
}

/* umlctl_guest_up and umlctl_guest_state: every guest has them. */
static void
put_states(FILE *o, const struct fleet *fl)
{
	enum run_state s;
	size_t i;

	family(o, "umlctl_guest_up", "gauge",
	    "1 if the guest runs (state running, hung or not, or "
	    "suspended), else 0.");
	for (i = 0; i < fl->n; i++)
		sample_u(o, "umlctl_guest_up", &fl->f[i], NULL, NULL,
		    fl->f[i].run);
	family(o, "umlctl_guest_state", "gauge", "1 for the guest's state "
	    "(the runtime record's token; stopped guests: how they ended).");
	for (i = 0; i < fl->n; i++)
		for (s = RS_NONE; s <= RS_SUSPENDED; s++)
			sample_u(o, "umlctl_guest_state", &fl->f[i], "state",
			    run_state_token(s), fl->f[i].o.state == s);
	family(o, "umlctl_guest_hung", "gauge", "1 while the running guest's "
	    "kernel has not answered its mconsole for HANG_TIMEOUT.");
	for (i = 0; i < fl->n; i++)
		if (fl->f[i].run)
			sample_u(o, "umlctl_guest_hung", &fl->f[i], NULL, NULL,
			    fl->f[i].hung);
}

/* umlctl_guest_stops_total: how every guest's runs ended since boot. */
static void
put_stops(FILE *o, const struct fleet *fl)
{
	enum run_state s;
	size_t i;

	family(o, "umlctl_guest_stops_total", "counter", "Runs of the guest "
	    "that ended since the host booted, by how they ended (outcome: "
	    "the state token).");
	for (i = 0; i < fl->n; i++)
		for (s = RS_NONE; s <= RS_ORPHANED; s++)
			if (run_state_ends(s))
				sample_u(o, "umlctl_guest_stops_total",
				    &fl->f[i], "outcome", run_state_token(s),
				    fl->f[i].stops.n[s]);
}

enum fact { F_START, F_LOG, F_MEMORY, F_PROCS, F_PSS, F_MEMFILE, F_MEMALLOC };

/* Guest f's fact k into *v; whether it is known. */
static bool
fact(const struct gfacts *f, enum fact k, unsigned long long *v)
{
	switch (k) {
	case F_START:
		*v = (unsigned long long)f->since;
		return f->run && f->since > 0;
	case F_LOG:
		*v = (unsigned long long)f->log_bytes;
		return f->log_bytes >= 0;
	case F_MEMORY:
		*v = f->g.mem_kib * 1024;
		return f->conf_ok;
	case F_PROCS:
		*v = f->ps.nprocs;
		return f->run && f->procs_ok;
	case F_PSS:
		*v = f->ps.pss_kib * 1024;
		return f->run && f->procs_ok;
	case F_MEMFILE:
		*v = f->mem_size;
		return f->run && f->mem_ok;
	case F_MEMALLOC:
		*v = f->mem_alloc;
		return f->run && f->mem_ok;
	}
	return false;
}

static const struct {
	const char *name, *help;
	enum fact k;
} gauges[] = {
	{ "umlctl_guest_start_time_seconds", "When the running guest's kernel "
	    "started, seconds since the epoch.", F_START },
	{ "umlctl_guest_console_log_bytes", "The size of the guest's console "
	    "log (CONSOLE_LOG).", F_LOG },
	{ "umlctl_guest_memory_bytes", "MEMORY, as configured.", F_MEMORY },
	{ "umlctl_guest_processes", "The kernel's processes on the host (its "
	    "process group).", F_PROCS },
	{ "umlctl_guest_memory_pss_bytes", "Resident memory of the kernel's "
	    "processes, as the sum of their proportional set sizes.", F_PSS },
	{ "umlctl_guest_memory_file_bytes", "The size of the kernel's memory "
	    "file (the guest's RAM).", F_MEMFILE },
	{ "umlctl_guest_memory_file_allocated_bytes", "The memory file's "
	    "allocated bytes, in memory or swap.", F_MEMALLOC },
};

static void
put_gauges(FILE *o, const struct fleet *fl)
{
	unsigned long long v;
	size_t k, i;

	for (k = 0; k < sizeof(gauges) / sizeof(gauges[0]); k++) {
		family(o, gauges[k].name, "gauge", gauges[k].help);
		for (i = 0; i < fl->n; i++)
			if (fact(&fl->f[i], gauges[k].k, &v))
				sample_u(o, gauges[k].name, &fl->f[i], NULL,
				    NULL, v);
	}
}

static void
put_cpu(FILE *o, const struct fleet *fl)
{
	unsigned long long tck = (unsigned long long)sysconf(_SC_CLK_TCK);
	const struct gfacts *f;
	char b[48];
	size_t i;

	family(o, "umlctl_guest_cpu_seconds_total", "counter", "User and "
	    "system CPU time of the kernel's processes (its process group).");
	for (i = 0; i < fl->n && tck > 0; i++) {
		f = &fl->f[i];
		if (!f->run || !f->procs_ok)
			continue;
		snprintf(b, sizeof(b), "%llu.%02llu", f->ps.cpu_ticks / tck,
		    f->ps.cpu_ticks % tck * 100 / tck);
		sample(o, "umlctl_guest_cpu_seconds_total", f, NULL, NULL, b);
	}
}

static unsigned long long
counter(const struct gnicfacts *n, int k)
{
	return k == 0 ? n->rx_bytes : k == 1 ? n->rx_packets :
	    k == 2 ? n->tx_bytes : n->tx_packets;
}

/* The taps' counters, a family each, labelled with the tap. */
static void
put_nics(FILE *o, const struct fleet *fl)
{
	static const char *const c[][2] = {
		{ "umlctl_guest_nic_receive_bytes_total",
		    "Bytes the host's tap received from the guest." },
		{ "umlctl_guest_nic_receive_packets_total",
		    "Packets the host's tap received from the guest." },
		{ "umlctl_guest_nic_transmit_bytes_total",
		    "Bytes the host's tap sent to the guest." },
		{ "umlctl_guest_nic_transmit_packets_total",
		    "Packets the host's tap sent to the guest." },
	};
	const struct gfacts *f;
	size_t i, n;
	int k;

	for (k = 0; k < 4; k++) {
		family(o, c[k][0], "counter", c[k][1]);
		for (i = 0; i < fl->n; i++)
			for (f = &fl->f[i], n = 0; f->conf_ok && n < f->g.nnic;
			    n++)
				if (f->nic[n].counted)
					sample_u(o, c[k][0], f, "tap",
					    f->g.nic[n].tap,
					    counter(&f->nic[n], k));
	}
}

static void
put_all(FILE *o, const struct fleet *fl)
{
	family(o, "umlctl_info", "gauge", "umlctl's version.");
	fprintf(o, "umlctl_info{version=\"");
	label(o, UMLCTL_VERSION);
	fprintf(o, "\"} 1\n");
	put_states(o, fl);
	put_stops(o, fl);
	put_gauges(o, fl);
	put_cpu(o, fl);
	put_nics(o, fl);
}

/*
 * FILE replaced at once: written to a new file beside it, synced, then
 * renamed over it, so that the collector reads the old text or the new,
 * never half of it.  The name starts with '.' and does not end in .prom:
 * the textfile collector skips it.
 */
static int
write_file(const char *path, const struct fleet *fl)
{
	char tmp[PATH_MAX], dir[PATH_MAX], base[PATH_MAX];
	FILE *o;
	int fd;

	snprintf(dir, sizeof(dir), "%s", path);
	snprintf(base, sizeof(base), "%s", path);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir),
	    basename(base)) >= (int)sizeof(tmp))
		die(EX_USAGE, "metrics: -o %s: name too long", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		die_errno(EX_SYSTEM, "metrics: %s", tmp);
	if (fchmod(fd, 0644) < 0 || !(o = fdopen(fd, "w"))) {
		unlink(tmp);
		die_errno(EX_SYSTEM, "metrics: %s", tmp);
	}
	put_all(o, fl);
	if (fflush(o) != 0 || ferror(o) || fsync(fd) < 0 || fclose(o) != 0 ||
	    rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		errno = e;
		die_errno(EX_SYSTEM, "metrics: %s", path);
	}
	return EX_OK;
}

int
cmd_metrics(const struct ctx *x, int argc, char **argv)
{
	struct fleet fl = { .x = x, .basefd = run_base() };
	const char *out = x->opt['o' - 'a'];
	int r = EX_OK;

	cmd_each_guest(x, gather_one, &fl);
	if (out)
		r = write_file(out, &fl);
	else {
		put_all(stdout, &fl);
		if (fflush(stdout) != 0)
			die_errno(EX_SYSTEM, "metrics: standard output");
	}
	free(fl.f);
	return r;
}
