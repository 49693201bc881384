/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * resources.h: the resources' interface (src/resources/): checks against
 * the host, /run/uml, the console log, the mconsole client, taps and
 * bridges, the kernel child's privilege drop, OpenRC's state.
 */
#ifndef UMLCTL_RESOURCES_H
#define UMLCTL_RESOURCES_H

#include <stdbool.h>
#include <sys/types.h>

#include "gcheck.h"
#include "guest.h"
#include "logq.h"
#include "perm.h"
#include "runrec.h"
#include "system.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef RUNDIR
#define RUNDIR "/run/uml"
#endif
#ifndef LOGDIR
#define LOGDIR "/var/log/uml"
#endif

/* host.c: read-only checks of a guest against the host. */
int host_account(const char *user, struct account *a, bool groups, char *err,
    size_t errlen);
void host_resolve_swap(struct guest *g);
int host_check(struct guest *g, const struct account *a, const char *confdir,
    bool running, char *err, size_t errlen);

/* Every directory above path must be searchable by USER; 0, or -1 and
 * err naming var (host_paths.c). */
int host_check_dirs(const char *var, const char *path,
    const struct account *a, char *err, size_t errlen);
struct stat;
int host_stat_nofollow(const char *var, const char *path, const char *why,
    struct stat *st, char *err, size_t errlen);
/* host_paths.c: HOSTFS checked against the host; 0, or -1 and err. */
int host_check_hostfs(const struct guest *g, const struct account *a,
    char *err, size_t errlen);

/* host_kernel.c: the kernel file and the host facts it must fit. */
struct kfacts;
int host_kernel(const struct guest *g, const struct account *a, unsigned want,
    struct kfacts *k, char *err, size_t errlen);
int host_kernel_fit(const struct guest *g, const struct account *a,
    char *err, size_t errlen);
unsigned host_xsave(void);
void host_mac_seed(char *buf, size_t len);
int host_yama_scope(void);
int host_ptrace_scope(void);
/* The host's Landlock ABI for the checks (ll_abi; a test build may lower
 * it). */
int host_landlock_abi(void);
/* Confined, a Landlock ABI must be known; 0, or -1 and err. */
int host_check_confine(const struct guest *g, char *err, size_t errlen);
bool host_kernel_hostfs(const struct guest *g);

/* host_runlevel.c: OpenRC's runlevels against guest names and files. */
/* name is a runlevel (OpenRC's own or in /etc/runlevels): its conf.d file
 * would be read for every uml.* service in that runlevel. */
int host_name_check(const char *name, const char *confdir, char *err,
    size_t errlen);
/* No conf.d/uml.LEVEL nor conf.d/uml.NAME.LEVEL that OpenRC would read in
 * place of the files umlctl checks. */
int host_runlevel_files(const struct guest *g, const char *confdir,
    char *err, size_t errlen);

/* rundir.c: /run/uml itself: the directory, the locks, NAME/ and its u/,
 * and every path under RUNDIR (no other file builds one). */
const char *run_dir(void);
int run_base(void);
int run_base_peek(void);
int run_lock(int basefd, const char *name);
bool run_locked(int basefd, const char *name);
/* NAME.lock removed (a killed supervisor's, once its directory is gone). */
void run_lock_remove(int basefd, const char *name);
bool run_lock_exists(int basefd, const char *name);
/* NAME/ is there: with NAME.lock held, what a killed supervisor left. */
bool run_left(int basefd, const char *name);
__attribute__((noreturn)) void run_die_busy(const char *name);
/* u/ beyond MEMORY: the umid dir, UML's probe files, page rounding. */
#define RUN_U_MARGIN_KIB	(32 * 1024)
#define RUN_U_INODES		256U
int run_fresh_u(int dirfd, const char *name, const struct account *a,
    unsigned long long mem_kib);
int run_prepare(int basefd, const char *name);
void run_cleanup(int basefd, const char *name, int lockfd);
/* NAME.SUFFIX (relative to RUNDIR's fd); RUNDIR/NAME.SUFFIX; RUNDIR/NAME,
 * or RUNDIR/NAME/FILE (file: RUN_STATE, RUN_NOTIFY, RUN_CONSOLE,
 * RUN_UMLDIR); RUNDIR/NAME/mc.PID.SEQ, the address of an mconsole client.
 * Each returns buf. */
const char *run_file(char *buf, size_t len, const char *name,
    const char *suffix);
const char *run_top_path(char *buf, size_t len, const char *name,
    const char *suffix);
const char *run_path(char *buf, size_t len, const char *name,
    const char *file);
const char *run_mc_path(char *buf, size_t len, const char *name, pid_t pid,
    unsigned seq);

/* rundir_rec.c: the records in /run/uml and what is read from them. */
/* Dies with EX_NOGUEST: no confdir/uml.NAME and no record of name. */
void run_no_guest(const char *confdir, const char *name);
int run_outcome_put(int basefd, const char *name, const struct outcome *o);
void run_outcome_get(int basefd, const char *name, struct outcome *o);
void run_outcome_clear(int basefd, const char *name);
long long run_outcome_time(int basefd, const char *name);
/* NAME.stops: one more run of NAME ended in state st; how many ended
 * how (all 0 without a record); gone (umlctl remove). */
int run_stops_add(int basefd, const char *name, enum run_state st);
void run_stops_get(int basefd, const char *name, struct stops *st);
void run_stops_clear(int basefd, const char *name);
int run_pid_put(int basefd, const char *name, pid_t pid);
pid_t run_pid_get(int basefd, const char *name);
int run_krecord_put(int dirfd, const struct krecord *k);
int run_record(int basefd, const char *name, struct krecord *k);
/* The pid of the `umlctl backup' that holds the guest of record k (its
 * `backup=' syncing or held, the process alive), or 0. */
pid_t run_backup_holder(const struct krecord *k);
unsigned long long run_committed_kib(unsigned long long dev,
    const char *except);
void run_guests_of(uid_t uid, const char *except, char *names, size_t len);
/* Guest name's state (RS_RUNNING while a supervisor holds it) and, if it
 * does not run, how its last run ended, into o. */
enum run_state run_state(int basefd, const char *name, struct outcome *o);
/* fn(name, arg) for every guest with a NAME.pid; -1 if RUNDIR unreadable. */
int run_each_pid(void (*fn)(const char *, void *), void *arg);
void run_each(const char *except, void (*fn)(const struct krecord *,
    const char *, void *), void *arg);

/* disk.c: one disk file, one running guest; OFD locks held for its life. */
struct disks {
	int fd[DISK_KINDS];		/* locked, or -1 */
	struct diskid id[DISK_KINDS];	/* ino 0: none, or not there yet */
};
/* 0, or -1 and err naming the variable and the guest that has it.
 * self: the guest's own record while it runs; lock: take the locks
 * (else only test, and hold nothing). */
int disk_take(const struct guest *g, const struct account *a,
    const struct krecord *self, bool lock, struct disks *d, char *err,
    size_t errlen);
void disk_release(struct disks *d);
/* The locked fds of d into fd[DISK_KINDS], in disk_kind order; how many. */
size_t disk_fds(const struct disks *d, int *fd);
/* a's file system ids and groups (the caller's kept in saved, GROUPS_MAX)
 * until disk_as_root: paths walked with USER's rights, never root's. */
int disk_as_user(const struct account *a, gid_t *saved, int *nsaved);
void disk_as_root(const gid_t *saved, int nsaved);
struct stat;
/*
 * A disk file opened read-only as the kernel's are (USER's file system
 * identity and groups, the last component not followed, a regular file
 * USER may read), for `umlctl backup'; with lock, a read lock on it that
 * a running guest's write lock refuses (EAGAIN).  -1 with errno.
 */
int disk_open_ro(const char *path, const struct account *a, bool lock,
    struct stat *st);

/*
 * cowfile.c: a COW guest's COW file, made by umlctl before the first boot
 * (as USER, never following a link, O_EXCL), as the kernel would make it.
 * 1 and *id (made now), 0 (it was there), or -1 and err.
 */
int cow_make(const struct guest *g, const struct account *a,
    struct diskid *id, char *err, size_t errlen);
/* The COW file cow_make made, removed if ROOT still names inode id; with
 * unlocked, only if no one holds a lock on it (the caller holds none:
 * another start on the same ROOT may, which found it made). */
void cow_unmake(const struct guest *g, const struct account *a,
    const struct diskid *id, bool unlocked);

/* clog.c: the console log, written by the supervisor only. */
#define CLOG_OLD	".old"		/* NAME.log.old: the part before */
#define CLOG_CHUNK	16384		/* bytes copied from the pipe at once */
#define CLOG_TAIL	16384		/* console kept for failures' causes */
struct clog {
	int dirfd, fd;
	char name[256];			/* the file, in dirfd */
	off_t size, max;		/* bytes; CONSOLE_LOG_MAX */
	struct logq q;
	char tail[CLOG_TAIL];
	size_t ntail;
};
int clog_open(struct clog *c, const char *path, unsigned long long max,
    char *err, size_t errlen);
void clog_reopen(struct clog *c);
void clog_console(struct clog *c, const char *buf, size_t n);
void clog_line(struct clog *c, const char *line, size_t n);
void clog_mark(struct clog *c);
size_t clog_tail(const struct clog *c, char *buf, size_t len);
void clog_close(struct clog *c);

/* privdrop.c: the kernel child, between fork and exec. */
struct kexec {
	char *const *argv;
	const struct account *acct;
	const struct guest *g;
	const char *user;
	int confd;	/* the console pipe's end: stdout, stderr */
	int conin;	/* the console's input pipe: stdin */
	const int *tapfd;	/* fd transport: NIC i's tap, at TAPFD_BASE+i */
	size_t ntap;
	const int *diskfd;	/* the OFD-locked disk files (disk.c), to
				 * TAPFD_BASE + ntap + j: the locks live as
				 * long as the kernel, whatever befalls us */
	size_t ndisk;
	int errfd;	/* CLOEXEC pipe: a failure is reported here */
	pid_t parent;
};
__attribute__((noreturn)) void kernel_exec(const struct kexec *k);
/* Become a: its uid, gid and groups, no capability in any set (bounding
 * included), no_new_privs.  NULL, or the step that failed (errno set). */
const char *privdrop_account(const struct account *a);

/* memsub.c: MEMORY_DIR/umlctl.NAME, the kernel's TMPDIR when MEMORY_DIR
 * is set.  make: in the kernel child, as USER; path gets it; NULL, or what
 * failed (errno set).  remove: once the kernel has ended, as USER; true
 * if it was there (empty) and is gone. */
/* MEMSUB_PREFIX: guest.h. */
const char *memsub_make(const struct guest *g, char *path, size_t len);
bool memsub_remove(const struct guest *g, const struct account *a);

/* probe.c: the COW header and the guest's files, read as USER. */
#define PROBE_COW	1	/* ROOT's COW header against BASE_IMAGE */
#define PROBE_GUEST	2	/* the guest's files (gcheck.h) */
#define PROBE_TIMEOUT_MS 20000
/* Each finding to report; 0, or -1 and err when the reading failed. */
int probe_guest(const struct guest *g, const struct account *a,
    unsigned what, gc_report *report, void *rarg, char *err, size_t errlen);

/* mconsole.c: the client. */
int mc_open(int rundirfd, const char *name, uid_t uid);
void mc_close(int fd);
/* What else must be served while a reply is awaited (the supervisor's
 * console pipe: a kernel blocked writing to it cannot answer): fn(arg) when
 * fd is readable; fn returns false when fd needs no more service. */
struct mc_pump {
	int fd;
	bool (*fn)(void *arg);
	void *arg;
};
int mc_call(int fd, const char *cmd, int timeout_ms, const struct mc_pump *pump,
    char *out, size_t outlen);
int mc_oneshot(int rundirfd, const char *name, uid_t uid, const char *cmd,
    int timeout_ms, char *out, size_t outlen);

/* netns.c: network namespaces. */
/* Into NETNS (a name in /run/netns; "": stay); else -1, errno and why. */
int net_enter(const char *netns, char *err, size_t errlen);
/* Back to umlctl's own network namespace after net_enter; exits if not. */
void net_home(void);
/* net_teardown in NETNS ("": umlctl's own), from whichever it is in. */
void net_teardown_in(const char *netns, const char *created);

/* net.c: taps and bridges. */
/* word appended to list (", "-separated), "..." once it would not fit. */
void net_list_add(char *list, size_t len, const char *word);
/* What net_check saw of each NIC's bridge, so that net_setup need not ask
 * again: every rtnetlink request takes the host-wide rtnl lock, the
 * bottleneck when many guests start at once. */
struct netstate {
	struct {
		int bridge;	/* the bridge's ifindex; 0: none */
	} nic[NIC_MAX];
};
int net_check(const struct guest *g, const struct account *a,
    const char *held, struct netstate *ns, char *err, size_t errlen);
/* The taps, made or opened, up, in their bridges; the names of those made
 * in created; with the fd transport NIC i's descriptor in fd[i] (else -1). */
int net_setup(const struct guest *g, const struct account *a,
    const struct netstate *ns, char *created, size_t len, int *fd,
    char *err, size_t errlen);
void net_close(int *fd, size_t n);
void net_teardown(const char *created);

/* openrc.c: OpenRC's state of the service uml.NAME, if there is one. */
#define RC_MARK_WAIT_MS		2000	/* rc_mark's bound */
void rc_mark(const char *name, bool started);
#define RC_START_WAIT_MS	5000	/* rc_await_starter's bound */
int rc_starter_open(const char *name);
void rc_await_starter(int pidfd);
int rc_update_del(const char *name, const char *level);
/* Every service named in need (rc_need) exists; else -1 and why. */
int rc_need_check(const char *need, char *err, size_t errlen);

#endif
