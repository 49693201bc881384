/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gcheck.h: what a guest's own files say about how it will run under
 * umlctl.  Pure: the files come through struct gfs, the findings go to a
 * callback; gimage.c supplies an ext2/3/4 image, the unit tests memory.
 *
 * A finding is a warning (the guest boots, but a stop will be forced, or
 * there is no login on the console, ...) or an error (it cannot boot).
 * Every message names the guest's file and the fix.  What is read is
 * untrusted input: lengths are bounded and nothing is trusted to be text.
 */
#ifndef UMLCTL_GCHECK_H
#define UMLCTL_GCHECK_H

#include <stdbool.h>
#include <stddef.h>

#define GC_FILE_MAX	(64 * 1024)	/* bytes read of one guest file */
#define GC_NAMES_MAX	256		/* names read of one directory */

enum gc_level { GC_OK, GC_WARN, GC_ERROR };

struct gfs {
	/* The contents of the file at path, links followed inside the
	 * image, at most len bytes: the count, or -1 (missing, not a
	 * regular file, unreadable). */
	long (*read)(void *arg, const char *path, char *buf, size_t len);
	/* The target of the symbolic link at path (not followed), NUL
	 * terminated: 0, or -1 when path is not a link. */
	int (*link)(void *arg, const char *path, char *buf, size_t len);
	/* Whether path exists, links followed. */
	bool (*exists)(void *arg, const char *path);
	/* fn(farg, name) for each name in directory path but . and ..:
	 * 0, or -1 when path is not a directory. */
	int (*list)(void *arg, const char *path,
	    void (*fn)(void *, const char *), void *farg);
	void *arg;
};

typedef void gc_report(void *arg, enum gc_level level, const char *msg);

/*
 * Check the guest in fs.  init: the kernel's init= word, or NULL for the
 * kernel's own search (run_init_process() in init/main.c: /sbin/init,
 * /etc/init, /bin/init, /bin/sh); swap: whether the guest gets a swap
 * disk (/dev/ubdb).  Returns the worst level reported.
 */
enum gc_level gcheck_guest(const struct gfs *fs, const char *init, bool swap,
    gc_report *report, void *rarg);

/* The init the kernel would run without init= (run_init_process() in
 * init/main.c: /sbin/init, /etc/init, /bin/init, /bin/sh): the first path
 * exists(arg, path) finds, or NULL.  prepare.c asks it too. */
const char *gc_find_init(bool (*exists)(void *, const char *), void *arg);

/* Field i (0-based) of the line s[0..n) split at blanks: into *f, *fl. */
bool gc_field(const char *s, size_t n, int i, const char **f, size_t *fl);

/* Parsers, exposed for the unit tests and fuzzers. */
struct inittab_facts {
	int cad_line;		/* 0: no ctrlaltdel line */
	bool cad_powers_off;	/* its process halts or powers off */
	char cad_process[128];
	bool console_login;	/* a respawned getty, login or shell on con0 */
};
void gc_inittab(const char *text, size_t len, struct inittab_facts *f);

/* The device fstab mounts on /, into spec ("" if none), and its line. */
int gc_fstab_root(const char *text, size_t len, char *spec, size_t speclen);

/* The last fstab line for device dev without both nofail and a
 * x-systemd.device-timeout (systemd waits for a nofail device too), or 0. */
int gc_fstab_needs(const char *text, size_t len, const char *dev);

/* The last kernel.sysrq assignment in a sysctl.conf text: its line, or 0;
 * the value in *val (-1 if it is not a number). */
int gc_sysctl_sysrq(const char *text, size_t len, long *val);

#endif
