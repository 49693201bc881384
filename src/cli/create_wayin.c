/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * create_wayin.c: create's way into the guest, checked before anything is
 * made: --ssh-key FILE, --root-password-hash FILE, --ip vecN=ADDR/LEN[,GW]
 * (repeatable), --dhcp, --packages LIST.  What is written where is
 * prepare.c's (in the chrooted child); this file only checks and reads.
 *
 * Root reads the two files: like SOURCE, the path to them must be
 * changeable by root only, so that no other account can swap in a link to
 * what only root may read (it would land in USER's image).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "create.h"
#include "util.h"

#define B64 \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
#define CRYPT64 \
	"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/* FILE's text into buf (len bytes at most, with its NUL), or exit 2. */
static void
read_small(const struct job *j, const char *opt, const char *path, char *buf,
    size_t len)
{
	char d[PATH_LEN_MAX], err[512], *base;
	struct stat st;
	ssize_t n;
	int dfd, fd;

	if (path[0] != '/' || xsnprintf(d, sizeof(d), "%s", path) < 0)
		die(EX_CONFIG, "create %s: %s \"%s\": not an absolute path",
		    j->name, opt, path);
	base = strrchr(d, '/');
	*base++ = '\0';
	if ((dfd = root_dir_open(d[0] ? d : "/", 0, err, sizeof(err))) < 0)
		die(EX_CONFIG, "create %s: %s \"%s\": %s (root reads it into "
		    "USER's image: only root may be able to change the path)",
		    j->name, opt, path, err);
	fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(dfd);
	if (fd < 0 || fstat(fd, &st) < 0)
		die(EX_CONFIG, "create %s: %s \"%s\": %s", j->name, opt, path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size <= 0 ||
	    (size_t)st.st_size >= len)
		die(EX_CONFIG, "create %s: %s \"%s\": not a regular file of 1 "
		    "to %zu bytes", j->name, opt, path, len - 1);
	n = read(fd, buf, len - 1);
	close(fd);
	if (n != st.st_size)
		die(EX_CONFIG, "create %s: %s \"%s\": short read", j->name, opt,
		    path);
	buf[n] = '\0';
}

/* An authorized_keys line: [options] TYPE BASE64 [comment], TYPE one of
 * OpenSSH's key types. */
static bool
key_line(const char *l)
{
	static const char *const types[] = { "ssh-ed25519 ", "ssh-rsa ",
		"ecdsa-sha2-nistp256 ", "ecdsa-sha2-nistp384 ",
		"ecdsa-sha2-nistp521 ", "sk-ssh-ed25519@openssh.com ",
		"sk-ecdsa-sha2-nistp256@openssh.com ", "ssh-dss " };
	const char *t, *k;
	size_t i, n;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		for (t = strstr(l, types[i]); t; t = strstr(t + 1, types[i]))
			if (t == l || t[-1] == ' ') {
				k = t + strlen(types[i]);
				n = strspn(k, B64);
				if (n >= 40 && (k[n] == '\0' || k[n] == ' '))
					return true;
			}
	return false;
}

/* --ssh-key: every line a key, a comment or empty; at least one key. */
static void
take_keys(struct job *j, const char *path)
{
	char *l, *e, *save = NULL, copy[sizeof(j->keys)];
	int nkeys = 0;

	read_small(j, "--ssh-key", path, j->keys, sizeof(j->keys));
	memcpy(copy, j->keys, sizeof(copy));
	for (e = copy; *e; e++)
		if ((*e < ' ' && *e != '\n' && *e != '\t') || *e == 0x7f)
			die(EX_CONFIG, "create %s: --ssh-key \"%s\": a control "
			    "character: not an authorized_keys file", j->name,
			    path);
	for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n",
	    &save)) {
		if (l[0] == '#' || l[strspn(l, " \t")] == '\0')
			continue;
		if (!key_line(l))
			die(EX_CONFIG, "create %s: --ssh-key \"%s\": \"%.40s\" "
			    "is not a public key line (TYPE BASE64 [comment], "
			    "e.g. ssh-ed25519 AAAA...; the .pub file, never "
			    "the private key)", j->name, path, l);
		nkeys++;
	}
	if (nkeys == 0)
		die(EX_CONFIG, "create %s: --ssh-key \"%s\": no public key in "
		    "it", j->name, path);
	if (j->keys[strlen(j->keys) - 1] != '\n' &&
	    strlen(j->keys) + 1 < sizeof(j->keys))
		strcat(j->keys, "\n");
}

/*
 * A crypt(3) hash as /etc/shadow holds it: $ID$[PARAMS$]SALT$HASH, ID one
 * of libxcrypt's (1 md5, 2a/2b/2y bcrypt, 5 sha256, 6 sha512, 7 scrypt, y
 * yescrypt, gy gost-yescrypt), only crypt's base64 and the parameters'
 * '=' and ',' in it, a HASH of 22 characters or more.  A clear password
 * fails this (a '$' at the start, then this shape: not by chance).
 */
static bool
plausible_hash(const char *h)
{
	static const char *const ids[] = { "$1$", "$2a$", "$2b$", "$2y$", "$5$",
		"$6$", "$7$", "$y$", "$gy$" };
	const char *last = strrchr(h, '$');
	size_t i, n = strlen(h);
	int fields = 0;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strncmp(h, ids[i], strlen(ids[i])) == 0)
			break;
	if (i == sizeof(ids) / sizeof(ids[0]) || n > 200 ||
	    strspn(h, CRYPT64 "$=,") != n || strlen(last + 1) < 22)
		return false;
	for (i = 0; i < n; i++)
		fields += h[i] == '$';
	return fields >= 3;
}

static void
take_hash(struct job *j, const char *path)
{
	size_t n;

	read_small(j, "--root-password-hash", path, j->hash, sizeof(j->hash));
	n = strlen(j->hash);
	if (n && j->hash[n - 1] == '\n')
		j->hash[--n] = '\0';
	if (!plausible_hash(j->hash))
		die(EX_CONFIG, "create %s: --root-password-hash \"%s\": not a "
		    "crypt(3) hash on one line ($6$SALT$HASH, $y$...: `openssl "
		    "passwd -6' or mkpasswd make one); a clear password is "
		    "never taken", j->name, path);
}

/* ADDR (v6 or not) into a; 0 or -1. */
static int
addr_of(const char *s, bool *v6)
{
	unsigned char a[16];

	if (inet_pton(AF_INET, s, a) == 1)
		return *v6 = false, 0;
	if (inet_pton(AF_INET6, s, a) == 1)
		return *v6 = true, 0;
	return -1;
}

/* --ip vecN=ADDR/LEN[,GW] into ip. */
static void
take_ip(const struct job *j, const char *v, struct prep_ip *ip)
{
	char buf[160], *eq, *sl, *gw, *end;
	bool v6, gv6;
	long len, nic;

	if (xsnprintf(buf, sizeof(buf), "%s", v) < 0 || !(eq = strchr(buf,
	    '=')))
		goto bad;
	*eq = '\0';
	if (strncmp(buf, "vec", 3) != 0 || !buf[3] || strspn(buf + 3,
	    "0123456789") != strlen(buf + 3) || (buf[3] == '0' && buf[4]) ||
	    (nic = strtol(buf + 3, NULL, 10)) >= NIC_MAX)
		die(EX_CONFIG, "create %s: --ip \"%s\": \"%s\" is not a guest "
		    "NIC (vec0 to vec%d: the guest's name of NET's first, "
		    "second, ... tap)", j->name, v, buf, NIC_MAX - 1);
	if ((gw = strchr(eq + 1, ',')))
		*gw++ = '\0';
	if (!(sl = strchr(eq + 1, '/')))
		goto bad;
	*sl = '\0';
	errno = 0;
	len = strtol(sl + 1, &end, 10);
	if (addr_of(eq + 1, &v6) < 0 || !sl[1] || *end || errno ||
	    strspn(sl + 1, "0123456789") != strlen(sl + 1) || len < 1 ||
	    len > (v6 ? 128 : 32))
		goto bad;
	if (gw && (addr_of(gw, &gv6) < 0 || gv6 != v6))
		die(EX_CONFIG, "create %s: --ip \"%s\": the gateway \"%s\" is "
		    "not an address of the same family", j->name, v, gw);
	snprintf(ip->nic, sizeof(ip->nic), "vec%d", (int)nic & 0xff);
	snprintf(ip->addr, sizeof(ip->addr), "%.46s/%d", eq + 1, (int)len &
	    0xff);
	snprintf(ip->gw, sizeof(ip->gw), "%.46s", gw ? gw : "");
	return;
bad:
	die(EX_CONFIG, "create %s: --ip \"%s\": not vecN=ADDR/LEN[,GATEWAY] "
	    "(vec0=192.0.2.10/24,192.0.2.1; IPv4 or IPv6)", j->name, v);
}

/* --packages: Debian package names (policy 5.6.1), comma-separated. */
static void
take_packages(struct job *j, const char *v)
{
	char buf[sizeof(j->packages)], *p, *save = NULL;

	if (j->src != SRC_DEBIAN)
		die(EX_CONFIG, "create %s: --packages \"%s\": for debian:SUITE "
		    "only", j->name, v);
	if (xsnprintf(buf, sizeof(buf), "%s", v) < 0 ||
	    strlen(v) + 64 >= sizeof(j->packages))
		die(EX_CONFIG, "create %s: --packages: too long", j->name);
	if (!v[0] || v[0] == ',' || v[strlen(v) - 1] == ',' || strstr(v, ",,"))
		goto bad;
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (strlen(p) < 2 ||
		    !strchr("abcdefghijklmnopqrstuvwxyz0123456789", p[0]) ||
		    strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789+.-") !=
		    strlen(p))
			goto bad;
		strcat(j->packages, ",");
		strcat(j->packages, p);
	}
	return;
bad:
	die(EX_CONFIG, "create %s: --packages \"%s\": not a comma-separated "
	    "list of Debian package names (lower case letters, digits, + - .)",
	    j->name, v);
}

void
wayin_take(const struct ctx *x, struct job *j)
{
	const char *key = x->opt[0] /* -a */, *hash = x->opt['r' - 'a'];
	int i, k;

	j->packages[0] = '\0';
	if (x->opt['p' - 'a'])
		take_packages(j, x->opt['p' - 'a']);
	if ((key || hash || x->nmany || x->opt['d' - 'a']) &&
	    (j->src == SRC_EMPTY || j->src == SRC_BASE))
		die(EX_CONFIG, "create %s: --ssh-key, --root-password-hash, "
		    "--ip and --dhcp edit the guest's files: give a SOURCE "
		    "(not -b, not empty)", j->name);
	if (x->nmany && x->opt['d' - 'a'])
		die(EX_CONFIG, "create %s: --ip \"%s\" and --dhcp: one or the "
		    "other", j->name, x->many[0]);
	for (i = 0; i < x->nmany; i++) {
		take_ip(j, x->many[i], &j->prep.ip[i]);
		for (k = 0; k < i; k++)
			if (strcmp(j->prep.ip[k].nic, j->prep.ip[i].nic) == 0)
				die(EX_CONFIG, "create %s: --ip \"%s\": %s has "
				    "an address already (one --ip per NIC)",
				    j->name, x->many[i], j->prep.ip[i].nic);
	}
	j->prep.nip = (size_t)x->nmany;
	j->prep.dhcp = x->opt['d' - 'a'] != NULL;
	if (key)
		take_keys(j, key);
	if (hash)
		take_hash(j, hash);
	j->prep.keys = key ? j->keys : NULL;
	j->prep.hash = hash ? j->hash : NULL;
	if (j->src == SRC_DEBIAN && key)
		strcat(j->packages, ",openssh-server");
	if (j->src == SRC_DEBIAN && j->sysvinit && j->prep.dhcp)
		strcat(j->packages, ",isc-dhcp-client");
}
