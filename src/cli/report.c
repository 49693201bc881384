/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.c: a guest's facts for programs: `status --json', `list --json'
 * and `show --json' (one object per guest, schema REPORT_SCHEMA, in
 * umlctl(8)); metrics.c prints the same facts for Prometheus.
 *
 * The facts come from the configuration (cmd_try_load: a broken file is
 * reported, not fatal), the runtime record (rundir.c), the host's counters
 * (gstat.c, nl.c) and, for the deep report, the kernel file (host.c) and
 * the kernel's mconsole.  Every string goes through json.c: what a guest
 * chose (its hostname in the mconsole's answer) is data, escaped.
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "chars.h"
#include "json.h"
#include "kargv.h"
#include "kfacts.h"
#include "parse.h"
#include "report.h"
#include "util.h"

#define REPORT_MC_MS	1000	/* the mconsole's version, as status waits */
#define REPORT_JSON_MAX	(64 * 1024)	/* one guest's object */

/* Its state as `umlctl status' finds it, and the record of a running
 * kernel; the record's directory, or -1. */
static int
gather_state(int basefd, struct gfacts *f)
{
	int dfd;

	f->status = run_state_status(run_state(basefd, f->name, &f->o));
	if (f->o.state != RS_RUNNING) {
		if (f->o.state != RS_NONE && f->o.state != RS_ORPHANED)
			f->since = run_outcome_time(basefd, f->name);
		return -1;
	}
	if (!(f->sup = run_pid_get(basefd, f->name)) ||
	    (dfd = run_record(basefd, f->name, &f->k)) < 0) {
		f->o.state = RS_STARTING;
		f->status = run_state_status(RS_STARTING);
		return -1;
	}
	f->run = true;
	f->holder = run_backup_holder(&f->k);
	f->hung = f->k.hung != 0;
	if (f->hung)
		f->status = EX_HUNG;
	if (f->k.suspended) {
		f->o.state = RS_SUSPENDED;
		f->status = run_state_status(RS_SUSPENDED);
	}
	return dfd;
}

/* The taps' counters (in the guest's NETNS), of the NICs it runs with. */
static void
gather_nics(struct gfacts *f)
{
	struct nl_link l;
	char err[256];
	size_t i;

	for (i = 0; f->conf_ok && i < f->g.nnic; i++) {
		if (!ch_word_in(f->g.nic[i].tap, f->k.nics) ||
		    nl_get_link(f->g.nic[i].tap, &l, err, sizeof(err)) != 1 ||
		    !l.stats)
			continue;
		f->nic[i] = (struct gnicfacts){ .counted = true,
		    .rx_bytes = l.rx_bytes, .rx_packets = l.rx_packets,
		    .tx_bytes = l.tx_bytes, .tx_packets = l.tx_packets };
	}
}

/* What the host counts of the running kernel, and what it answers. */
static void
gather_running(int dfd, unsigned what, struct gfacts *f)
{
	long tck = sysconf(_SC_CLK_TCK);
	struct timespec boot;
	char err[256];

	f->procs_ok = gstat_procs(f->k.kpid, f->k.kstart, f->k.kuid,
	    &f->ps) == 0;
	if (f->procs_ok && tck > 0 && clock_gettime(CLOCK_BOOTTIME, &boot) ==
	    0) {
		f->uptime = (long long)boot.tv_sec -
		    (long long)(f->k.kstart / (unsigned long long)tck);
		f->since = (long long)time(NULL) - f->uptime;
	}
	f->mem_ok = gstat_memfile(f->k.kpid, f->k.memdev, &f->mem_size,
	    &f->mem_alloc) == 0;
	if (net_enter(f->k.netns, err, sizeof(err)) < 0)
		return;
	gather_nics(f);
	if ((what & REPORT_DEEP) && !f->hung &&
	    mc_oneshot(dfd, f->name, f->k.kuid, "version", REPORT_MC_MS, f->ver,
	    sizeof(f->ver)) < 0)
		f->ver[0] = '\0';
	net_home();
}

void
report_gather(const struct ctx *x, int basefd, const char *name,
    unsigned what, struct gfacts *f)
{
	struct kfacts kf;
	struct stat st;
	char err[256];
	int dfd;

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->log_bytes = -1;
	f->conf_ok = cmd_try_load(x, name, &f->g, NULL, f->conf_err,
	    sizeof(f->conf_err)) == 0;
	/* conf.d/uml.LEVEL is read for the runlevel's every uml.* service. */
	if (host_name_check(name, x->confdir, f->conf_err,
	    sizeof(f->conf_err)) < 0)
		f->conf_ok = false, f->runlevel = true;
	if (f->conf_ok)
		host_resolve_swap(&f->g);
	run_stops_get(basefd, name, &f->stops);
	if ((dfd = gather_state(basefd, f)) >= 0) {
		gather_running(dfd, what, f);
		close(dfd);
	}
	if (!f->conf_ok)
		return;
	if (lstat(f->g.console_log, &st) == 0 && S_ISREG(st.st_mode))
		f->log_bytes = (long long)st.st_size;
	if ((what & REPORT_DEEP) && host_kernel(&f->g, NULL, KF_WANT_ALL, &kf,
	    err, sizeof(err)) == 0)
		snprintf(f->release, sizeof(f->release), "%s", kf.release);
}

/* "key": a string, null if empty. */
static void
kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s && s[0] ? s : NULL);
}

/* "key": a count, null if unknown. */
static void
kv_num(struct json *j, const char *key, bool known, unsigned long long v)
{
	json_key(j, key);
	if (known)
		json_uint(j, v);
	else
		json_null(j);
}

static void
json_state(struct json *j, const struct gfacts *f)
{
	json_key(j, "schema");
	json_int(j, REPORT_SCHEMA);
	kv_str(j, "name", f->name);
	kv_str(j, "state", run_state_token(f->o.state));
	json_key(j, "hung");
	json_bool(j, f->hung);
	json_key(j, "status");
	json_int(j, f->status);
	kv_num(j, "since", f->since > 0, (unsigned long long)f->since);
	kv_str(j, "detail", f->o.detail);
	kv_str(j, "config_error", f->conf_ok ? NULL : f->conf_err);
}

static void
json_running(struct json *j, const struct gfacts *f)
{
	bool r = f->run, p = f->procs_ok;
	long tck = sysconf(_SC_CLK_TCK);

	kv_num(j, "supervisor_pid", r, (unsigned long long)f->sup);
	kv_num(j, "kernel_pid", r, (unsigned long long)f->k.kpid);
	kv_num(j, "backup_pid", f->holder, (unsigned long long)f->holder);
	kv_num(j, "uptime_seconds", r && p, (unsigned long long)f->uptime);
	kv_num(j, "processes", r && p, f->ps.nprocs);
	json_key(j, "cpu_seconds");
	if (r && p && tck > 0)
		json_fixed(j, f->ps.cpu_ticks * 100 /
		    (unsigned long long)tck, 2);
	else
		json_null(j);
	kv_num(j, "pss_bytes", r && p, f->ps.pss_kib * 1024);
	kv_num(j, "memory_file_bytes", r && f->mem_ok, f->mem_size);
	kv_num(j, "memory_file_allocated_bytes", r && f->mem_ok, f->mem_alloc);
	kv_str(j, "kernel_version", f->ver);
	kv_str(j, "nic_error", r ? f->k.nicerr : NULL);
	/* What the supervisor recorded at start, as status prints it. */
	kv_str(j, "confinement", r ? f->k.confine : NULL);
}

static void
json_nics(struct json *j, const struct gfacts *f)
{
	const struct gnicfacts *n;
	char mac[18];
	size_t i;

	json_key(j, "nics");
	json_array(j);
	for (i = 0; f->conf_ok && i < f->g.nnic; i++) {
		n = &f->nic[i];
		format_mac(f->g.nic[i].mac, mac);
		json_object(j);
		kv_str(j, "tap", f->g.nic[i].tap);
		kv_str(j, "mac", mac);
		kv_str(j, "bridge", f->g.nic[i].bridge);
		kv_num(j, "rx_bytes", n->counted, n->rx_bytes);
		kv_num(j, "rx_packets", n->counted, n->rx_packets);
		kv_num(j, "tx_bytes", n->counted, n->tx_bytes);
		kv_num(j, "tx_packets", n->counted, n->tx_packets);
		json_end(j);
	}
	json_end(j);
}

/* What conf.d says (null when it cannot be read). */
static void
json_config(struct json *j, const struct gfacts *f)
{
	const struct guest *g = f->conf_ok ? &f->g : NULL;

	kv_str(j, "user", g ? g->user : NULL);
	kv_str(j, "kernel", g ? g->kernel : NULL);
	kv_str(j, "kernel_release", f->release);
	kv_num(j, "memory_bytes", g, g ? g->mem_kib * 1024 : 0);
	kv_num(j, "cpus", g, g ? g->cpus : 0);
	kv_str(j, "root", g ? g->root : NULL);
	kv_str(j, "base_image", g ? g->base : NULL);
	kv_str(j, "swap", g ? g->swap : NULL);
	kv_str(j, "netns", g ? g->netns : NULL);
	kv_str(j, "console_log", g ? g->console_log : NULL);
	kv_num(j, "console_log_bytes", f->log_bytes >= 0,
	    (unsigned long long)f->log_bytes);
	json_nics(j, f);
}

/* The kernel's command line, for show. */
static void
json_argv(struct json *j, const struct gfacts *f)
{
	static struct kargv k;
	char rundir[PATH_LEN_MAX];
	size_t i;

	json_key(j, "argv");
	if (!f->conf_ok || kargv_build(&f->g, run_path(rundir, sizeof(rundir),
	    f->name, NULL), &k) < 0) {
		json_null(j);
		return;
	}
	json_array(j);
	for (i = 0; i < k.argc; i++)
		json_str(j, k.argv[i]);
	json_end(j);
}

/* One guest's object on stdout, after sep. */
static void
print_guest(const struct gfacts *f, bool argv, const char *sep)
{
	static char buf[REPORT_JSON_MAX];
	const char *t;
	struct json j;

	json_init(&j, buf, sizeof(buf));
	json_object(&j);
	json_state(&j, f);
	json_running(&j, f);
	json_config(&j, f);
	if (argv)
		json_argv(&j, f);
	json_end(&j);
	if (!(t = json_text(&j)))
		die(EX_SYSTEM, "%s: its JSON report is larger than %d bytes",
		    f->name, REPORT_JSON_MAX);
	printf("%s%s", sep, t);
}

static int
one(const struct ctx *x, const char *name, bool argv)
{
	static struct gfacts f;
	char err[256];

	if (parse_name(name, err, sizeof(err)) < 0)
		die(EX_CONFIG, "instance name: %s", err);
	report_gather(x, run_base(), name, REPORT_DEEP, &f);
	print_guest(&f, argv, "");
	printf("\n");
	return f.status;
}

int
cmd_status_json(const struct ctx *x, int argc, char **argv)
{
	return one(x, argv[1], false);
}

int
cmd_show_json(const struct ctx *x, int argc, char **argv)
{
	one(x, argv[1], true);
	return EX_OK;
}

struct listing {
	const struct ctx *x;
	int basefd;
	unsigned n;
};

static void
list_one(const char *name, void *arg)
{
	static struct gfacts f;
	struct listing *l = arg;

	report_gather(l->x, l->basefd, name, REPORT_DEEP, &f);
	print_guest(&f, false, l->n++ ? "," : "");
}

int
cmd_list_json(const struct ctx *x, int argc, char **argv)
{
	struct listing l = { .x = x, .basefd = run_base() };

	printf("[");
	cmd_each_guest(x, list_one, &l);
	printf("]\n");
	return EX_OK;
}
