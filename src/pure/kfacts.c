/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kfacts.c: facts about a UML kernel and its host.  Pure (see kfacts.h).
 */
#include <stdio.h>
#include <string.h>

#include "kfacts.h"

#define BANNER		"Linux version "
#define HELP_VECTOR	"vec[0-9]+:<option>=<value>"
#define HELP_LEGACY	"eth[0-9]+=<transport>,<options>"
#define MSG_VECTOR_FD	"fd open: bad or missing fd argument"
#define CFG_SMP		"CONFIG_SMP=y\n"
#define CFG_NR_CPUS	"CONFIG_NR_CPUS="
#define CFG_HOSTFS	"CONFIG_HOSTFS=y\n"

static bool
release_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '+' ||
	    c == '_' || c == '~';
}

/* "X.Y..." at s (n bytes at most) into k; -1 if it is not a release. */
static int
take_release(const char *s, size_t n, struct kfacts *k)
{
	size_t i;
	unsigned v[2] = { 0, 0 }, part = 0, digits = 0;

	for (i = 0; i < n && i < KF_RELEASE_MAX - 1 && release_char(s[i]); i++)
		;
	if (i == 0 || (i < n && release_char(s[i])))
		return -1;	/* empty, or longer than any release */
	memcpy(k->release, s, i);
	k->release[i] = '\0';
	for (i = 0; part < 2 && k->release[i] != '\0'; i++) {
		char c = k->release[i];

		if (c >= '0' && c <= '9' && digits < 4 &&
		    !(digits == 1 && v[part] == 0)) {	/* no leading zero */
			v[part] = v[part] * 10 + (unsigned)(c - '0');
			digits++;
		} else if (c == '.' && digits > 0 && part == 0) {
			part = 1;
			digits = 0;
		} else
			break;
	}
	if (part != 1 || digits == 0)
		return -1;
	k->major = v[0];
	k->minor = v[1];
	return 0;
}

static bool
has(const char *img, size_t len, const char *needle)
{
	return memmem(img, len, needle, strlen(needle)) != NULL;
}

/* A line of the kernel's config text: needle at the start of one of its
 * strings (after a NUL or a newline, or at the file's start). */
static const char *
config_line(const char *img, size_t len, const char *needle)
{
	const char *p = img, *end = img + len;
	size_t n = strlen(needle);

	while ((p = memmem(p, (size_t)(end - p), needle, n)) != NULL) {
		if (p == img || p[-1] == '\0' || p[-1] == '\n')
			return p;
		p++;
	}
	return NULL;
}

/* CONFIG_SMP and CONFIG_NR_CPUS from the config text into k. */
static void
scan_cpus(const char *img, size_t len, struct kfacts *k)
{
	const char *p = config_line(img, len, CFG_NR_CPUS), *end = img + len;
	unsigned v = 0;

	k->smp = config_line(img, len, CFG_SMP) != NULL;
	if (p == NULL)
		return;
	for (p += strlen(CFG_NR_CPUS); p < end && *p >= '0' && *p <= '9' &&
	    v < 100000; p++)
		v = v * 10 + (unsigned)(*p - '0');
	if (p < end && *p == '\n')
		k->nr_cpus = v;
}

unsigned
kfacts_want(const struct guest *g)
{
	unsigned w = g->cpus > 1 ? KF_WANT_CPUS : 0;

	if (g->hostfs[0] != '\0')
		w |= KF_WANT_HOSTFS;
	if (g->nnic == 0)
		return w;
	return w | (g->transport == TRANSPORT_TUNTAP ? KF_WANT_LEGACY :
	    KF_WANT_VECTOR);
}

int
kfacts_scan(const char *img, size_t len, unsigned want, struct kfacts *k)
{
	const char *p = img, *end = img + len;
	size_t bl = strlen(BANNER);

	memset(k, 0, sizeof(*k));
	/* The first banner followed by a release; format strings that
	 * merely contain the words are passed over. */
	while ((p = memmem(p, (size_t)(end - p), BANNER, bl)) != NULL) {
		p += bl;
		if (take_release(p, (size_t)(end - p), k) == 0)
			break;
	}
	if (p == NULL) {
		memset(k, 0, sizeof(*k));
		return -1;
	}
	k->vector = (want & KF_WANT_VECTOR) && has(img, len, HELP_VECTOR);
	k->vector_fd = k->vector && has(img, len, MSG_VECTOR_FD);
	k->legacy_net = (want & KF_WANT_LEGACY) && has(img, len, HELP_LEGACY);
	if (want & KF_WANT_CPUS)
		scan_cpus(img, len, k);
	/* Built in: the hostfs= option exists only then (#ifndef MODULE). */
	k->hostfs = (want & KF_WANT_HOSTFS) &&
	    config_line(img, len, CFG_HOSTFS) != NULL;
	return 0;
}

static bool
older(const struct kfacts *k, unsigned major, unsigned minor)
{
	return k->major < major || (k->major == major && k->minor < minor);
}

bool
kfacts_seccomp(const struct kfacts *k)
{
	return !older(k, KF_SECCOMP_MAJOR, KF_SECCOMP_MINOR);
}

/* USERSPACE and CPUS against the kernel's release and options. */
static int
speed_fit(const struct kfacts *k, const struct guest *g, char *err,
    size_t errlen)
{
	if (g->userspace == USERSPACE_SECCOMP && !kfacts_seccomp(k)) {
		snprintf(err, errlen, "USERSPACE=\"seccomp\": KERNEL=\"%s\" "
		    "(Linux %s) has no seccomp userspace (added in %u.%u): "
		    "build a kernel with `make kernel' or use "
		    "USERSPACE=\"ptrace\"", g->kernel, k->release,
		    KF_SECCOMP_MAJOR, KF_SECCOMP_MINOR);
		return -1;
	}
	if (g->cpus <= 1)
		return 0;
	if (!k->smp || k->nr_cpus < 2) {
		snprintf(err, errlen, "CPUS=\"%u\": KERNEL=\"%s\" (Linux %s) "
		    "was built without SMP (CONFIG_SMP, 6.19 on): use a kernel "
		    "with SMP or set CPUS=\"1\"", g->cpus, g->kernel,
		    k->release);
		return -1;
	}
	if (g->cpus > k->nr_cpus) {
		snprintf(err, errlen, "CPUS=\"%u\": KERNEL=\"%s\" (Linux %s) "
		    "runs at most %u CPUs (CONFIG_NR_CPUS) and would start "
		    "that many without a word: set CPUS to %u or less", g->cpus,
		    g->kernel, k->release, k->nr_cpus, k->nr_cpus);
		return -1;
	}
	return 0;
}

int
kfacts_yama_fit(int scope, const struct guest *g, char *err, size_t errlen)
{
	if (g->userspace != USERSPACE_PTRACE || scope < KF_YAMA_NO_TRACEME)
		return 0;
	snprintf(err, errlen, "USERSPACE=\"ptrace\": this host's Yama "
	    "ptrace_scope is %d, which forbids USER's kernel to ptrace its "
	    "guest's processes, and the guest could not boot: choose "
	    "USERSPACE=\"seccomp\" (a kernel >= %u.%u; read uml(8) on what "
	    "it costs)%s", scope, KF_SECCOMP_MAJOR, KF_SECCOMP_MINOR,
	    scope == KF_YAMA_NO_TRACEME ? " or set kernel.yama.ptrace_scope "
	    "to 1" : "");
	return -1;
}

int
kfacts_fit(const struct kfacts *k, unsigned xsave, const struct guest *g,
    char *err, size_t errlen)
{
	if (xsave > KF_XSAVE_FIXED && older(k, KF_FPU_MAJOR, KF_FPU_MINOR)) {
		snprintf(err, errlen, "KERNEL=\"%s\": Linux %s cannot run "
		    "guests on this host: its XSAVE area is %u bytes (AMX or "
		    "larger), UML before %u.%u handles at most %u and every "
		    "guest program dies (\"ptrace set fp regs failed, errno = "
		    "14\"); build a kernel with `make kernel' or install a UML "
		    "kernel >= %u.%u (KERNEL_CHECK=\"no\" overrides this "
		    "check)", g->kernel, k->release, xsave, KF_FPU_MAJOR,
		    KF_FPU_MINOR, KF_XSAVE_FIXED, KF_FPU_MAJOR, KF_FPU_MINOR);
		return -1;
	}
	if (speed_fit(k, g, err, errlen) < 0)
		return -1;
	if (g->hostfs[0] != '\0' && !k->hostfs) {
		snprintf(err, errlen, "HOSTFS=\"%s\": KERNEL=\"%s\" (Linux %s) "
		    "has no hostfs (CONFIG_HOSTFS=y; a module cannot take "
		    "hostfs=): build a kernel with `make kernel' or leave "
		    "HOSTFS unset", g->hostfs, g->kernel, k->release);
		return -1;
	}
	if (g->nnic == 0)
		return 0;
	if (g->transport == TRANSPORT_TUNTAP && !k->legacy_net) {
		snprintf(err, errlen, "NET_TRANSPORT=\"tuntap\": KERNEL=\"%s\" "
		    "(Linux %s) has no legacy network transports (removed in "
		    "6.16, or not built in); the guest would boot with no NIC: "
		    "use NET_TRANSPORT=\"vector\"", g->kernel, k->release);
		return -1;
	}
	if (g->transport != TRANSPORT_TUNTAP && !k->vector) {
		snprintf(err, errlen, "NET_TRANSPORT=\"%s\": KERNEL=\"%s\" "
		    "(Linux %s) has no vector network driver "
		    "(CONFIG_UML_NET_VECTOR); the guest would boot with no "
		    "NIC: build a kernel with `make kernel'%s", g->transport ==
		    TRANSPORT_FD ? "fd" : "vector", g->kernel, k->release,
		    k->legacy_net ? " or use NET_TRANSPORT=\"tuntap\"" : "");
		return -1;
	}
	if (g->transport == TRANSPORT_FD && !k->vector_fd) {
		snprintf(err, errlen, "NET_TRANSPORT=\"fd\": KERNEL=\"%s\" "
		    "(Linux %s) has no fd transport in its vector driver "
		    "(added in 5.8): use NET_TRANSPORT=\"vector\", with which "
		    "the kernel opens its taps itself", g->kernel, k->release);
		return -1;
	}
	return 0;
}

static const struct cause {
	const char *marker;	/* a line the kernel prints */
	const char *text;
} causes[] = {
	/* Before the unmountable root it leads to (os-Linux/file.c). */
	{ "F_SETLK failed",
	  "a disk file is locked by another process (\"F_SETLK failed, file "
	  "already locked\"): another guest or program uses ROOT, SWAP or "
	  "BASE_IMAGE" },
	{ "ptrace set fp regs failed",
	  "the kernel cannot restore FPU state on this CPU (a UML kernel "
	  "before 6.13 on a host whose XSAVE area is larger than 2696 bytes, "
	  "as with AMX): build one with `make kernel' or set KERNEL to a UML "
	  "kernel >= 6.13" },
	{ "must be not mounted noexec",
	  "the kernel's memory file is on a noexec mount: set MEMORY_DIR to "
	  "a directory mounted without noexec" },
	{ "System is deadlocked on memory",
	  "the guest ran out of memory while booting: raise MEMORY" },
	{ "Out of memory",
	  "the guest ran out of memory while booting: raise MEMORY" },
	{ "No working init found",
	  "no init in the root image: ROOT must hold /sbin/init (or name "
	  "one with init= in KERNEL_ARGS)" },
	{ "Requested init",
	  "the init named in KERNEL_ARGS could not be run from the root "
	  "image" },
	{ "Unable to mount root fs",
	  "the root file system cannot be mounted: ROOT must be an ext2, "
	  "ext3 or ext4 image this kernel can read" },
};

const char *
kfacts_cause(const char *console)
{
	size_t i;

	for (i = 0; i < sizeof(causes) / sizeof(causes[0]); i++)
		if (strstr(console, causes[i].marker) != NULL)
			return causes[i].text;
	return NULL;
}

bool
kfacts_nic_error(const char *line)
{
	/* 6.1 and 7.2: vector_user.c, vector_kern.c; 6.1: net_kern.c,
	 * tuntap_user.c. */
	static const char *const marks[] = {
		"uml_tap: ", "fd open: ", "user_init_", "vector_open: ",
		"vector_setup - ", "sendmmsg err=",
		"missing transport for unit", "no parsed config for unit",
		"could not enable vnet headers",
		"eth_configure", "eth_setup - ", "uml_net_open: ",
		"uml_net_start_xmit: ", "tuntap_open", "TUNSETIFF failed",
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(line, marks[i]) != NULL)
			return true;
	/* "uml-vector uml-vector.0 vec0: vector_open: failed ..." */
	return strstr(line, " vec") != NULL && (strstr(line, "failed") ||
	    strstr(line, " err"));
}

bool
kfacts_sync_done(const char *line)
{
	return strstr(line, "Emergency Sync complete") != NULL;
}

bool
kfacts_halting(const char *line)
{
	return strstr(line, "reboot: System halted") != NULL ||
	    strstr(line, "reboot: Power down") != NULL;
}

bool
kfacts_panic_line(const char *line)
{
	return strstr(line, "Kernel panic - not syncing") != NULL;
}
