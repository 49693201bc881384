/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * gcheck.c: a guest's files against what umlctl needs of them (gcheck.h).
 * Pure.
 *
 * The rules, and where each comes from:
 * - init: the kernel tries init=, else /sbin/init, /etc/init, /bin/init,
 *   /bin/sh (init/main.c); none of them and the guest cannot boot.
 * - ctrl-alt-del: umlctl's stop sends the mconsole "cad", which runs the
 *   init's ctrl-alt-del action: inittab(5)'s ctrlaltdel line (busybox
 *   init's built-in default, without /etc/inittab, reboots), or systemd's
 *   ctrl-alt-del.target (an alias of reboot.target by default,
 *   systemd.special(7)).  Anything but a power-off makes the stop wait
 *   SHUTDOWN_TIMEOUT and force the guest down.
 * - the console: umlctl attaches to con0, which the guest sees as
 *   /dev/console and /dev/tty0 (arch/um/drivers/stdio_console.c).
 * - fstab: the root disk is ubd0, /dev/ubda in the guest; /dev/ubdb, the
 *   swap disk, exists only with SWAP (else a line for it stalls the boot).
 * - kernel.sysrq: the stop's fallback uses sysrq s and u, which obey its
 *   mask (16 sync, 32 remount read-only, 1 all: sysrq.rst).
 *
 * Why this file may run over 450 lines (HACKING.md, Style): it is one
 * rule set, each rule a few lines of matching and a cited message with its
 * fix, all applied by one gc_check() through one struct gfs and fuzzed as
 * one (fuzz_gcheck).  Cut in two, its halves would share the run, the
 * field reader and the message helper through a header made for that
 * alone, and a reader would look for a rule in two places.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcheck.h"

#define MSG_MAX		512
#define SYSRQ_NEED	(16 | 32)

struct run {
	const struct gfs *fs;
	gc_report *report;
	void *rarg;
	enum gc_level worst;
	char buf[GC_FILE_MAX];
};

static void say(struct run *r, enum gc_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct run *r, enum gc_level lv, const char *fmt, ...)
{
	char msg[MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lv > r->worst)
		r->worst = lv;
	r->report(r->rarg, lv, msg);
}

/* A printable copy of at most n bytes of s, for a message. */
static void
clean(char *dst, size_t dlen, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i + 1 < dlen && s[i]; i++)
		dst[i] = s[i] >= ' ' && s[i] < 127 ? s[i] : '?';
	dst[i] = '\0';
}

/* The next line of text[*pos..len), NUL-free: its start and length. */
static bool
next_line(const char *text, size_t len, size_t *pos, const char **line,
    size_t *n)
{
	const char *nl;

	if (*pos >= len)
		return false;
	*line = text + *pos;
	nl = memchr(*line, '\n', len - *pos);
	*n = nl ? (size_t)(nl - *line) : len - *pos;
	*pos += *n + 1;
	return true;
}

/* Whether word w occurs in s[0..n) delimited by start, end, space, '/'
 * or '=' (so "tty0" matches "/dev/tty0" but not "tty01"). */
static bool
has_word(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++) {
		if (memcmp(s + i, w, wl) != 0)
			continue;
		if ((i == 0 || strchr(" \t/=", s[i - 1])) &&
		    (i + wl == n || strchr(" \t", s[i + wl])))
			return true;
	}
	return false;
}

static bool
has_sub(const char *s, size_t n, const char *w)
{
	size_t wl = strlen(w), i;

	for (i = 0; i + wl <= n; i++)
		if (memcmp(s + i, w, wl) == 0)
			return true;
	return false;
}

/* What a ctrlaltdel process does: power off (halt, poweroff, -h, -P, -H)
 * and not reboot. */
static bool
powers_off(const char *p, size_t n)
{
	return (has_sub(p, n, "poweroff") || has_sub(p, n, "halt") ||
	    has_word(p, n, "-h") || has_word(p, n, "-P") ||
	    has_word(p, n, "-H")) && !has_sub(p, n, "reboot") &&
	    !has_word(p, n, "-r");
}

static bool
names_console(const char *s, size_t n)
{
	return has_word(s, n, "tty0") || has_word(s, n, "console");
}

static bool
names_other_tty(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++)
		if (memcmp(s + i, "tty", 3) == 0 && (i == 0 ||
		    strchr(" \t/", s[i - 1])) && !has_word(s + i, n - i,
		    "tty0") && s[i + 3] != ' ')
			return true;
	return false;
}

/*
 * One inittab line, id:runlevels:action:process (busybox: id is the tty,
 * empty for the console).  A login on the console is a respawned or
 * askfirst getty naming tty0 or console, or a getty, login or shell whose
 * busybox id is the console.
 */
static void
inittab_line(const char *s, size_t n, int lineno, struct inittab_facts *f)
{
	const char *c1, *c2, *c3, *proc;
	size_t idn, actn, pn;

	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	if (n == 0 || s[0] == '#' || !(c1 = memchr(s, ':', n)) ||
	    !(c2 = memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - s))) ||
	    !(c3 = memchr(c2 + 1, ':', n - (size_t)(c2 + 1 - s))))
		return;
	idn = (size_t)(c1 - s);
	actn = (size_t)(c3 - c2 - 1);
	proc = c3 + 1;
	pn = n - (size_t)(proc - s);
	if (actn == 10 && memcmp(c2 + 1, "ctrlaltdel", 10) == 0) {
		f->cad_line = lineno;
		f->cad_powers_off = powers_off(proc, pn);
		clean(f->cad_process, sizeof(f->cad_process), proc, pn);
		return;
	}
	if (!((actn == 7 && memcmp(c2 + 1, "respawn", 7) == 0) ||
	    (actn == 8 && memcmp(c2 + 1, "askfirst", 8) == 0)))
		return;
	if (has_sub(proc, pn, "getty") && (names_console(proc, pn) ||
	    names_other_tty(proc, pn))) {
		f->console_login |= names_console(proc, pn);
		return;
	}
	if ((has_sub(proc, pn, "getty") || has_sub(proc, pn, "login") ||
	    has_sub(proc, pn, "sh")) && c1 == c2 - 1 &&
	    (idn == 0 || names_console(s, idn)))
		f->console_login = true;
}

void
gc_inittab(const char *text, size_t len, struct inittab_facts *f)
{
	size_t pos = 0, n;
	const char *line;
	int lineno = 0;

	memset(f, 0, sizeof(*f));
	while (next_line(text, len, &pos, &line, &n))
		inittab_line(line, n, ++lineno, f);
}

bool
gc_field(const char *s, size_t n, int i, const char **f, size_t *fl)
{
	size_t p = 0, st;

	for (;;) {
		while (p < n && (s[p] == ' ' || s[p] == '\t'))
			p++;
		if (p == n)
			return false;
		st = p;
		while (p < n && s[p] != ' ' && s[p] != '\t')
			p++;
		if (i-- == 0) {
			*f = s + st;
			*fl = p - st;
			return true;
		}
	}
}

int
gc_fstab_root(const char *text, size_t len, char *spec, size_t speclen)
{
	size_t pos = 0, n, fl, sl;
	const char *line, *f, *sp;
	int lineno = 0, at = 0;

	spec[0] = '\0';
	while (next_line(text, len, &pos, &line, &n)) {
		lineno++;
		if (!gc_field(line, n, 0, &sp, &sl) || sp[0] == '#' ||
		    !gc_field(line, n, 1, &f, &fl) || fl != 1 || f[0] != '/')
			continue;
		clean(spec, speclen, sp, sl);
		at = lineno;
	}
	return at;
}

int
gc_fstab_needs(const char *text, size_t len, const char *dev)
{
	size_t pos = 0, n, fl, ol;
	const char *line, *f, *o;
	int lineno = 0, at = 0;

	while (next_line(text, len, &pos, &line, &n)) {
		lineno++;
		if (!gc_field(line, n, 0, &f, &fl) || fl != strlen(dev) ||
		    memcmp(f, dev, fl) != 0)
			continue;
		/* noauto: nothing at boot waits for it (umlctl's ready script
		 * swaps on what is there). */
		if (!gc_field(line, n, 3, &o, &ol) || (!has_sub(o, ol,
		    "noauto") && (!has_sub(o, ol, "nofail") || !has_sub(o, ol,
		    "x-systemd.device-timeout="))))
			at = lineno;
	}
	return at;
}

int
gc_sysctl_sysrq(const char *text, size_t len, long *val)
{
	char key[32], v[32], *end;
	size_t pos = 0, n, i, k;
	const char *line;
	int lineno = 0, at = 0;

	*val = -1;
	while (next_line(text, len, &pos, &line, &n)) {
		lineno++;
		for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t' ||
		    line[i] == '-'); i++)
			;
		for (k = 0; i < n && k + 1 < sizeof(key) && line[i] != '=' &&
		    line[i] != ' ' && line[i] != '\t'; i++)
			key[k++] = line[i] == '/' ? '.' : line[i];
		key[k] = '\0';
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (strcmp(key, "kernel.sysrq") != 0 || i == n ||
		    line[i] != '=')
			continue;
		for (i++; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
			;
		for (k = 0; i < n && k + 1 < sizeof(v) && line[i] != ' ' &&
		    line[i] != '\t' && line[i] != '\r'; i++)
			v[k++] = line[i];
		v[k] = '\0';
		*val = strtol(v, &end, 0);
		if (k == 0 || *end != '\0' || *val < 0)
			*val = -1;
		at = lineno;
	}
	return at;
}

const char *
gc_find_init(bool (*exists)(void *, const char *), void *arg)
{
	static const char *const search[] = {
		"/sbin/init", "/etc/init", "/bin/init", "/bin/sh",
	};
	size_t i;

	for (i = 0; i < sizeof(search) / sizeof(search[0]); i++)
		if (exists(arg, search[i]))
			return search[i];
	return NULL;
}

static const char *
find_init(struct run *r, const char *init)
{
	const char *found;

	if (init) {
		if (r->fs->exists(r->fs->arg, init))
			return init;
		say(r, GC_ERROR, "no %s in the image (KERNEL_ARGS has "
		    "init=%s): the guest cannot boot", init, init);
		return NULL;
	}
	if ((found = gc_find_init(r->fs->exists, r->fs->arg)))
		return found;
	say(r, GC_ERROR, "no init in the image (none of /sbin/init, /etc/init, "
	    "/bin/init, /bin/sh): the guest cannot boot; install one, or "
	    "name it with init= in KERNEL_ARGS");
	return NULL;
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

#define CAD_FIX	"umlctl's stop then waits SHUTDOWN_TIMEOUT and forces the " \
	"guest down"

static void
check_inittab(struct run *r, long n, bool busybox)
{
	struct inittab_facts f;

	if (n < 0) {
		if (busybox)
			say(r, GC_WARN, "/etc/inittab is missing: busybox "
			    "init's built-in table reboots on ctrl-alt-del and "
			    "runs no getty on the console; " CAD_FIX
			    "; write /etc/inittab with "
			    "::ctrlaltdel:/sbin/poweroff and "
			    "console::respawn:/sbin/getty 38400 console");
		else
			say(r, GC_WARN, "/etc/inittab is missing and init is "
			    "not systemd: ctrl-alt-del and the console login "
			    "were not checked");
		return;
	}
	gc_inittab(r->buf, (size_t)n, &f);
	if (f.cad_line == 0)
		say(r, GC_WARN, "/etc/inittab has no ctrlaltdel line: "
		    "ctrl-alt-del does nothing and " CAD_FIX
		    "; add ca:12345:ctrlaltdel:/sbin/shutdown -h now (busybox: "
		    "::ctrlaltdel:/sbin/poweroff)");
	else if (!f.cad_powers_off)
		say(r, GC_WARN, "/etc/inittab:%d: ctrl-alt-del runs \"%s\", "
		    "which does not power off: " CAD_FIX "; use /sbin/shutdown "
		    "-h now (busybox: /sbin/poweroff)", f.cad_line,
		    f.cad_process);
	if (!f.console_login)
		say(r, GC_WARN, "/etc/inittab: no getty on the console: "
		    "`umlctl console' finds no login; add "
		    "c0:12345:respawn:/sbin/agetty 38400 console linux "
		    "(busybox: console::respawn:/sbin/getty 38400 console)");
}

static void
check_systemd_cad(struct run *r)
{
	static const char *const lib[] = {
		"/etc/systemd/system/ctrl-alt-del.target",
		"/usr/lib/systemd/system/ctrl-alt-del.target",
		"/lib/systemd/system/ctrl-alt-del.target",
	};
	char to[256], shown[256];
	size_t i;

	for (i = 0; i < sizeof(lib) / sizeof(lib[0]); i++) {
		if (r->fs->link(r->fs->arg, lib[i], to, sizeof(to)) < 0)
			continue;
		if (strcmp(base(to), "poweroff.target") == 0 ||
		    strcmp(base(to), "halt.target") == 0)
			return;
		clean(shown, sizeof(shown), to, sizeof(to));
		say(r, GC_WARN, "%s links to %s: ctrl-alt-del does not power "
		    "off and " CAD_FIX "; ln -sf "
		    "/lib/systemd/system/poweroff.target "
		    "/etc/systemd/system/ctrl-alt-del.target", lib[i], shown);
		return;
	}
}

struct wants {
	struct run *r;
	const char *dir;
	bool found;
};

static void
wants_unit(void *arg, const char *name)
{
	struct wants *w = arg;

	if (strcmp(name, "console-getty.service") == 0 ||
	    strcmp(name, "serial-getty@tty0.service") == 0 ||
	    strcmp(name, "getty@tty0.service") == 0 ||
	    strcmp(name, "serial-getty@console.service") == 0)
		w->found = true;
}

static void
wants_dir(void *arg, const char *name)
{
	struct wants *w = arg;
	char path[512];
	size_t n = strlen(name);

	if (w->found || n < 6 || strcmp(name + n - 6, ".wants") != 0)
		return;
	snprintf(path, sizeof(path), "%s/%s", w->dir, name);
	w->r->fs->list(w->r->fs->arg, path, wants_unit, w);
}

static void
check_systemd_getty(struct run *r)
{
	struct wants w = { r, "/etc/systemd/system", false };

	r->fs->list(r->fs->arg, w.dir, wants_dir, &w);
	if (!w.found)
		say(r, GC_WARN, "/etc/systemd/system: no getty on the console "
		    "(console-getty.service is not enabled): `umlctl console' "
		    "finds no login; systemctl enable console-getty.service");
}

static void
check_fstab(struct run *r, bool swap)
{
	char spec[128];
	long n = r->fs->read(r->fs->arg, "/etc/fstab", r->buf, sizeof(r->buf));
	int at;

	if (n < 0)
		return;
	if ((at = gc_fstab_root(r->buf, (size_t)n, spec, sizeof(spec))) &&
	    strcmp(spec, "/dev/ubda") != 0)
		say(r, GC_WARN, "/etc/fstab:%d: / is mounted from %s, but the "
		    "root disk is /dev/ubda under UML: the guest may stop at "
		    "boot waiting for it; write /dev/ubda / ext4 defaults 0 1",
		    at, spec);
	if (!swap && (at = gc_fstab_needs(r->buf, (size_t)n, "/dev/ubdb")))
		say(r, GC_WARN, "/etc/fstab:%d: uses /dev/ubdb, but the guest "
		    "has no swap disk (SWAP): its boot waits for it (systemd: "
		    "90 s); set SWAP, or add noauto (swapon it later) or "
		    "nofail,x-systemd.device-timeout=30s to the line's options",
		    at);
}

/* sysctl.d(5): *.conf by name across these, the first directory's file
 * winning over one of the same name; /etc/sysctl.conf last (procps). */
static const char *const sysctl_dirs[] = {
	"/etc/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d",
	"/lib/sysctl.d",
};

struct sysctl_file {
	char name[128];
	unsigned char dir;	/* its index in sysctl_dirs */
};

struct sysctl_files {
	struct sysctl_file f[GC_NAMES_MAX];
	size_t n;
	unsigned char cur;
};

static void
sysctl_file(void *arg, const char *name)
{
	struct sysctl_files *s = arg;
	size_t i, l = strlen(name);

	if (l < 5 || l >= sizeof(s->f[0].name) || strcmp(name + l - 5,
	    ".conf") || s->n == GC_NAMES_MAX)
		return;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->f[i].name, name) == 0)
			return;
	memcpy(s->f[s->n].name, name, l + 1);
	s->f[s->n++].dir = s->cur;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct sysctl_file *)a)->name,
	    ((const struct sysctl_file *)b)->name);
}

static void
check_sysrq(struct run *r)
{
	static struct sysctl_files s;
	char path[256], shown[256], where[300] = "";
	size_t i;
	long v, last = -2, n;
	int at;

	memset(&s, 0, sizeof(s));
	for (s.cur = 0; s.cur < sizeof(sysctl_dirs) / sizeof(sysctl_dirs[0]);
	    s.cur++)
		r->fs->list(r->fs->arg, sysctl_dirs[s.cur], sysctl_file, &s);
	qsort(s.f, s.n, sizeof(s.f[0]), by_name);
	for (i = 0; i <= s.n; i++) {
		if (i < s.n)
			snprintf(path, sizeof(path), "%s/%s",
			    sysctl_dirs[s.f[i].dir], s.f[i].name);
		else
			snprintf(path, sizeof(path), "/etc/sysctl.conf");
		n = r->fs->read(r->fs->arg, path, r->buf, sizeof(r->buf));
		if (n < 0 || !(at = gc_sysctl_sysrq(r->buf, (size_t)n, &v)))
			continue;
		last = v;
		/* The name is the guest's: shown clean, as any text of it. */
		clean(shown, sizeof(shown), path, sizeof(path));
		snprintf(where, sizeof(where), "%s:%d", shown, at);
	}
	if (last == -2 || last == 1 || (last > 1 &&
	    (last & SYSRQ_NEED) == SYSRQ_NEED))
		return;
	say(r, GC_WARN, "%s: kernel.sysrq = %ld does not allow sync (16) and "
	    "remount read-only (32), which umlctl's stop uses when the guest "
	    "does not power off in time (data written but not synced is then "
	    "lost); set kernel.sysrq = 1, or a value with 48 set", where, last);
}

enum gc_level
gcheck_guest(const struct gfs *fs, const char *init, bool swap,
    gc_report *report, void *rarg)
{
	static struct run r;
	const char *path;
	char to[256];
	long n;

	memset(&r, 0, sizeof(r) - sizeof(r.buf));
	r.fs = fs;
	r.report = report;
	r.rarg = rarg;
	if ((path = find_init(&r, init)) == NULL)
		return r.worst;
	if (has_sub(path, strlen(path), "systemd") ||
	    (fs->link(fs->arg, path, to, sizeof(to)) == 0 &&
	    has_sub(to, strlen(to), "systemd"))) {
		check_systemd_cad(&r);
		check_systemd_getty(&r);
	} else {
		n = fs->read(fs->arg, "/etc/inittab", r.buf, sizeof(r.buf));
		check_inittab(&r, n, fs->link(fs->arg, path, to, sizeof(to)) ==
		    0 && strcmp(base(to), "busybox") == 0);
	}
	check_fstab(&r, swap);
	check_sysrq(&r);
	return r.worst;
}
