/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * report.h: a guest's facts for programs (report.c): what `status
 * --json', `list --json', `show --json' and `metrics' print.
 */
#ifndef UMLCTL_REPORT_H
#define UMLCTL_REPORT_H

#include <stdbool.h>

#include "cmd.h"
#include "guest.h"
#include "runrec.h"
#include "resources.h"

#define REPORT_SCHEMA	1	/* the JSON objects' "schema" (umlctl(8)) */

struct gnicfacts {
	bool counted;		/* the tap's counters were read */
	unsigned long long rx_bytes, rx_packets, tx_bytes, tx_packets;
};

struct gfacts {
	char name[NAME_LEN_MAX + 1];	/* a copy: metrics moves gfacts */
	struct guest g;			/* valid if conf_ok */
	bool conf_ok;
	bool runlevel;			/* named like a runlevel: no guest */
	char conf_err[1536];
	struct outcome o;		/* o.state: the state */
	bool hung;
	int status;			/* the exit of `umlctl status' */
	long long since;		/* epoch s; 0: unknown */
	bool run;			/* a record of the running kernel: */
	struct krecord k;
	pid_t sup;			/* its supervisor; 0: none yet */
	pid_t holder;			/* the backup holding it; 0: none */
	bool procs_ok;
	struct gstat ps;
	long long uptime;		/* s */
	bool mem_ok;
	unsigned long long mem_size, mem_alloc;
	char ver[600];			/* the mconsole's version; "" */
	char release[64];		/* from KERNEL's file; "" */
	long long log_bytes;		/* -1: no file */
	struct gnicfacts nic[NIC_MAX];
	struct stops stops;		/* runs ended since boot, by outcome */
};

/* What report_gather reads: deep asks the kernel file and the mconsole. */
#define REPORT_DEEP	1U

/* Everything about guest name into *f; basefd: RUNDIR. */
void report_gather(const struct ctx *x, int basefd, const char *name,
    unsigned what, struct gfacts *f);

int cmd_status_json(const struct ctx *x, int argc, char **argv);
int cmd_list_json(const struct ctx *x, int argc, char **argv);
int cmd_show_json(const struct ctx *x, int argc, char **argv);
/* metrics.c */
int cmd_metrics(const struct ctx *x, int argc, char **argv);


#endif
