/*
 * sys.h: what the modules with side effects share.
 */
#ifndef UMLCTL_SYS_H
#define UMLCTL_SYS_H

#include <stdbool.h>
#include <sys/types.h>

#include "gcheck.h"
#include "guest.h"
#include "logq.h"
#include "perm.h"
#include "runrec.h"

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
struct kfacts;
int host_kernel(const struct guest *g, const struct account *a, unsigned want,
    struct kfacts *k, char *err, size_t errlen);
unsigned host_xsave(void);
void host_mac_seed(char *buf, size_t len);
bool host_ptrace_open(void);

/* walk.c: paths walked as root without following links. */
int root_dir_open(const char *path, mode_t mode, char *err, size_t errlen);
int rmtree_at(int dirfd, const char *name);

/* nl.c: rtnetlink, with libmnl. */
struct nl_link {
	int index;
	unsigned flags;
	int master;
	char kind[16];
	int tun_type;		/* IFF_TAP or IFF_TUN, for kind "tun" */
	bool carrier;		/* a tap has carrier while someone has it open */
	long long owner, group;	/* -1: not set */
};
/* 1 and *l: found; 0: no such link; -1: error, in err. */
int nl_get_link(const char *name, struct nl_link *l, char *err, size_t errlen);
/* Bring link index up, in bridge master (its index; 0: leave as is). */
int nl_link_up(int index, int master, char *err, size_t errlen);
int nl_del_link(int index, char *err, size_t errlen);
/* Its bridge port passes frames from mac only (learning off, locked). */
int nl_port_lock(int index, const unsigned char mac[6], char *err,
    size_t errlen);

/* proc.c: processes, from /proc. */
unsigned long long proc_starttime(pid_t pid, pid_t *pgid, uid_t *uid);
int proc_kill_group(pid_t kpid, unsigned long long kstart, uid_t kuid);
long long proc_oom_kills(void);
int proc_kill_descendants(pid_t pid, int sig);

/* rundir.c: /run/uml and what is in it. */
int run_base(void);
int run_lock(int basefd, const char *name);
bool run_locked(int basefd, const char *name);
__attribute__((noreturn)) void run_die_busy(const char *name);
#define RUN_U_MARGIN_KIB	(32 * 1024)	/* u/ beyond MEMORY: the umid dir,
						 * UML's probe files, page rounding */
#define RUN_U_INODES		256U
int run_fresh_u(int dirfd, const char *name, const struct account *a,
    unsigned long long mem_kib);
int run_prepare(int basefd, const char *name);
void run_cleanup(int basefd, const char *name, int lockfd);
int run_outcome_put(int basefd, const char *name, const struct outcome *o);
void run_outcome_get(int basefd, const char *name, struct outcome *o);
void run_outcome_clear(int basefd, const char *name);
int run_pid_put(int basefd, const char *name, pid_t pid);
pid_t run_pid_get(int basefd, const char *name);
int run_krecord_put(int dirfd, const struct krecord *k);
int run_record(int basefd, const char *name, struct krecord *k);
unsigned long long run_committed_kib(unsigned long long dev,
    const char *except);
void run_guests_of(uid_t uid, const char *except, char *names, size_t len);
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
/* A COW file the kernel made at this start: locked now. */
int disk_take_late(const struct guest *g, const struct account *a,
    struct disks *d, char *err, size_t errlen);
void disk_release(struct disks *d);

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

/* kfilter.c: the seccomp filter on the kernel's process. */
int kfilter_load(bool fd_transport, size_t ntap);

/* privdrop.c: the kernel child, between fork and exec. */
struct kexec {
	char *const *argv;
	const struct account *acct;
	const struct guest *g;
	const char *user;
	int confd;	/* the console pipe's end: stdout, stderr */
	int conin;	/* the console's input pipe: stdin */
	const int *tapfd;	/* fd transport: NIC i's tap, to TAPFD_BASE + i */
	size_t ntap;
	int errfd;	/* CLOEXEC pipe: a failure is reported here */
	pid_t parent;
};
__attribute__((noreturn)) void kernel_exec(const struct kexec *k);
/* Become a: its uid, gid and groups, no capability in any set (bounding
 * included), no_new_privs.  NULL, or the step that failed (errno set). */
const char *privdrop_account(const struct account *a);

/* probe.c: the COW header and the guest's files, read as USER. */
#define PROBE_COW	1	/* ROOT's COW header against BASE_IMAGE */
#define PROBE_GUEST	2	/* the guest's files (gcheck.h) */
#define PROBE_TIMEOUT_MS 20000
/* Each finding to report; 0, or -1 and err when the reading failed. */
int probe_guest(const struct guest *g, const struct account *a,
    unsigned what, gc_report *report, void *rarg, char *err, size_t errlen);

/* prepare.c: the guest edits, in a child chrooted into the tree treefd. */
struct prep {
	const char *name;	/* its hostname */
	bool swap;		/* it has a swap disk, /dev/ubdb */
};
int prepare_tree(int treefd, const struct prep *p, char *err, size_t errlen);

/* gimage.c: gcheck_guest on an ext2/3/4 image file; the worst level, or
 * -1 and err when it is not one libext2fs can open. */
int gimage_check(const char *image, const char *init, bool swap,
    gc_report *report, void *rarg, char *err, size_t errlen);

/* mconsole.c: the client. */
int mc_open(int rundirfd, const char *name, uid_t uid);
int mc_call(int fd, const char *cmd, int timeout_ms, char *out, size_t outlen);
void mc_set_pump(int fd, void (*fn)(void *), void *arg);
int mc_oneshot(int rundirfd, const char *name, uid_t uid, const char *cmd,
    int timeout_ms, char *out, size_t outlen);

/* net.c: taps, bridges, network namespaces. */
int net_enter(const char *netns, char *err, size_t errlen);
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
void rc_mark(const char *name, bool started);
/* Every service named in need (rc_need) exists; else -1 and why. */
int rc_need_check(const char *need, char *err, size_t errlen);

/* supervise.c */
struct start_opts {
	bool foreground;
	const struct netstate *net;	/* what check_all saw of the links */
};
int supervise_start(struct guest *g, const struct account *a,
    const struct start_opts *o);

#endif
