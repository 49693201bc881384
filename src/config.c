/*
 * config.c: from conf.d assignments to a validated struct guest.  Pure.
 *
 * Every value is checked here, before anything touches the host, and
 * every message names the variable and its value as the file spelled it
 * (or as umlctl derived it, when the variable is unset).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "parse.h"

#ifndef LOGDIR
#define LOGDIR "/var/log/uml"
#endif

#define SHOW_MAX	100	/* value bytes quoted in an error message */
#define RESPAWN_LIMIT	1000
#define BLANKS		" \t\n"

typedef int checker(const char *s, char *err, size_t errlen);

struct ctx {
	const struct conf *c;
	char *err;
	size_t errlen;
};

/*
 * s as it would appear between double quotes in sh, cut at SHOW_MAX
 * bytes; bytes that are not printable ASCII as \xHH so that a message
 * never carries a control character to the terminal.
 */
static void
show(const char *s, char *buf, size_t buflen)
{
	size_t i, o = 0;

	for (i = 0; i < SHOW_MAX && s[i] != '\0' && o + 5 < buflen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(buf + o, buflen - o, "\\x%02x", c);
		else if (strchr("\"\\$`", c) != NULL)
			o += (size_t)snprintf(buf + o, buflen - o, "\\%c", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = '\0';
	if (s[i] != '\0' && o + 4 <= buflen)
		strcpy(buf + o, "...");
}

static int bad(struct ctx *x, const char *var, const char *value, bool dflt,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* `VAR="value": reason', saying when the value is umlctl's default. */
static int
bad(struct ctx *x, const char *var, const char *value, bool dflt,
    const char *fmt, ...)
{
	char shown[SHOW_MAX * 4 + 8], reason[512];
	char note[CONF_NAME_MAX + CONF_WHERE_MAX + 40];
	const char *where;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	show(value, shown, sizeof(shown));
	note[0] = '\0';
	if (dflt)
		snprintf(note, sizeof(note), " (%s is not set; this is its "
		    "default)", var);
	else if ((where = conf_where(x->c, var)) != NULL)
		snprintf(note, sizeof(note), " (%s)", where);
	if (x->errlen > 0)
		snprintf(x->err, x->errlen, "%s=\"%s\": %s%s", var, shown,
		    reason, note);
	return -1;
}

/* The value a file gave var, else def; *dflt says which. */
static const char *
get(const struct ctx *x, const char *var, const char *def, bool *dflt)
{
	const char *v = conf_get(x->c, var);

	*dflt = v == NULL;
	return v != NULL ? v : def;
}

/* Check value with fn and copy it to out (outlen bytes). */
static int
take(struct ctx *x, const char *var, const char *value, bool dflt,
    checker *fn, char *out, size_t outlen)
{
	char why[256];

	if (fn(value, why, sizeof(why)) < 0)
		return bad(x, var, value, dflt, "%s", why);
	if (strlen(value) >= outlen)
		return bad(x, var, value, dflt, "longer than %zu bytes", outlen - 1);
	strcpy(out, value);
	return 0;
}

static int
take_var(struct ctx *x, const char *var, const char *def, checker *fn,
    char *out, size_t outlen)
{
	bool dflt;
	const char *v = get(x, var, def, &dflt);

	return take(x, var, v, dflt, fn, out, outlen);
}

static int
user(struct ctx *x, struct guest *g)
{
	const char *v = conf_get(x->c, "USER");

	if (v == NULL || *v == '\0') {
		snprintf(x->err, x->errlen, "USER is not set in conf.d (it "
		    "must name the account that runs the guest; umlctl never "
		    "takes it from the environment)");
		return -1;
	}
	return take(x, "USER", v, false, parse_user, g->user, sizeof(g->user));
}

/* A default below UMLDIR/<name>/; it is checked like a set value. */
static int
under_umldir(struct ctx *x, const struct guest *g, const char *var,
    const char *file, checker *fn, char *out, size_t outlen)
{
	char def[CONF_VALUE_MAX];

	snprintf(def, sizeof(def), "%s/%s/%s", g->umldir, g->name, file);
	return take_var(x, var, def, fn, out, outlen);
}

static int
swap(struct ctx *x, struct guest *g)
{
	const char *v = conf_get(x->c, "SWAP");

	/* Unset: the default image, used only if it exists (host.c decides). */
	if (v == NULL) {
		g->swap_auto = true;
		return under_umldir(x, g, "SWAP", "swap.loop", parse_kpath,
		    g->swap, sizeof(g->swap));
	}
	if (*v == '\0')
		return 0;
	return take(x, "SWAP", v, false, parse_kpath, g->swap, sizeof(g->swap));
}

/* MEMORY_DIR: unset or empty means the guest's own tmpfs (u/, rundir.c). */
static int
memdir(struct ctx *x, struct guest *g)
{
	bool dflt;
	const char *v = get(x, "MEMORY_DIR", "", &dflt);

	g->memdir_own = v[0] == '\0';
	g->memdir[0] = '\0';
	if (g->memdir_own)
		return 0;
	return take(x, "MEMORY_DIR", v, dflt, parse_kpath, g->memdir,
	    sizeof(g->memdir));
}

static int
paths(struct ctx *x, struct guest *g)
{
	char def[CONF_VALUE_MAX];

	snprintf(def, sizeof(def), "%s/%s.log", LOGDIR, g->name);
	if (take_var(x, "UMLDIR", "/var/lib/uml", parse_abspath, g->umldir,
	    sizeof(g->umldir)) < 0 ||
	    under_umldir(x, g, "KERNEL", "linux", parse_abspath, g->kernel,
	    sizeof(g->kernel)) < 0 ||
	    under_umldir(x, g, "ROOT", "root.loop", parse_kpath, g->root,
	    sizeof(g->root)) < 0 ||
	    swap(x, g) < 0 ||
	    memdir(x, g) < 0 ||
	    take_var(x, "CONSOLE_LOG", def, parse_abspath, g->console_log,
	    sizeof(g->console_log)) < 0)
		return -1;
	return 0;
}

static int
seconds(struct ctx *x, const char *var, const char *def, unsigned *out)
{
	char why[256];
	bool dflt;
	const char *v = get(x, var, def, &dflt);

	if (parse_seconds(v, TIMEOUT_MAX, out, why, sizeof(why)) < 0)
		return bad(x, var, v, dflt, "%s", why);
	return 0;
}

static int
numbers(struct ctx *x, struct guest *g)
{
	char why[256];
	bool dflt;
	const char *v;
	uint64_t kib;

	v = get(x, "MEMORY", "128M", &dflt);
	if (parse_size_kib(v, &g->mem_kib, why, sizeof(why)) < 0)
		return bad(x, "MEMORY", v, dflt, "%s", why);
	if (seconds(x, "SHUTDOWN_TIMEOUT", "60", &g->shutdown_timeout) < 0 ||
	    seconds(x, "START_TIMEOUT", "30", &g->start_timeout) < 0)
		return -1;
	v = get(x, "RESPAWN", "no", &dflt);
	if (parse_bool(v, &g->respawn, why, sizeof(why)) < 0)
		return bad(x, "RESPAWN", v, dflt, "%s", why);
	v = get(x, "KERNEL_CHECK", "yes", &dflt);
	if (parse_bool(v, &g->kernel_check, why, sizeof(why)) < 0)
		return bad(x, "KERNEL_CHECK", v, dflt, "%s", why);
	v = get(x, "CONSOLE_LOG_MAX", "1M", &dflt);
	if (parse_size_in(v, LOG_MIN_KIB, LOG_MAX_KIB, NULL, &kib, why,
	    sizeof(why)) < 0)
		return bad(x, "CONSOLE_LOG_MAX", v, dflt, "%s", why);
	g->console_log_max = kib * 1024;
	v = get(x, "RESPAWN_MAX", "5", &dflt);
	if (parse_count(v, RESPAWN_LIMIT, &g->respawn_max, why, sizeof(why)) < 0)
		return bad(x, "RESPAWN_MAX", v, dflt, "%s", why);
	return 0;
}

/*
 * The next blank-separated word of *pp into buf; 0 at the end.  A word
 * too long for buf is cut, and then fails its parser's length check.
 */
static size_t
next_word(const char **pp, char *buf, size_t buflen)
{
	const char *p = *pp + strspn(*pp, BLANKS);
	size_t n = strcspn(p, BLANKS);

	snprintf(buf, buflen, "%.*s", (int)n, p);
	*pp = p + n;
	return n;
}

static int
word_ok(struct ctx *x, const char *var, const char *value, const char *what,
    const char *word, checker *fn)
{
	char why[256], shown[SHOW_MAX * 4 + 8];

	if (fn(word, why, sizeof(why)) == 0)
		return 0;
	show(word, shown, sizeof(shown));
	return bad(x, var, value, false, "%s \"%s\": %s", what, shown, why);
}

/* BRIDGE_<tap> and MAC_<tap> for NIC i. */
static int
nic_vars(struct ctx *x, struct guest *g, size_t i)
{
	struct nic *nic = &g->nic[i];
	char var[CONF_NAME_MAX], why[256];
	const char *v;

	tap_var_name("BRIDGE_", nic->tap, var, sizeof(var));
	v = conf_get(x->c, var);
	if (v != NULL && *v != '\0' &&
	    take(x, var, v, false, parse_ifname, nic->bridge,
	    sizeof(nic->bridge)) < 0)
		return -1;
	tap_var_name("MAC_", nic->tap, var, sizeof(var));
	v = conf_get(x->c, var);
	if (v == NULL) {
		derive_mac(g->name, (unsigned)i, nic->mac);
		return 0;
	}
	if (parse_mac(v, nic->mac, why, sizeof(why)) < 0)
		return bad(x, var, v, false, "%s", why);
	nic->mac_explicit = true;
	return 0;
}

/* Two taps must differ, and so must the variable names that set them. */
static int
nic_unique(struct ctx *x, const struct guest *g, const char *net, size_t i)
{
	char vi[CONF_NAME_MAX], vj[CONF_NAME_MAX];
	size_t j;

	tap_var_name("BRIDGE_", g->nic[i].tap, vi, sizeof(vi));
	for (j = 0; j < i; j++) {
		if (strcmp(g->nic[i].tap, g->nic[j].tap) == 0)
			return bad(x, "NET", net, false, "%s is listed twice",
			    g->nic[i].tap);
		tap_var_name("BRIDGE_", g->nic[j].tap, vj, sizeof(vj));
		if (strcmp(vi, vj) == 0)
			return bad(x, "NET", net, false, "%s and %s would both "
			    "be set by %s and MAC_%s", g->nic[j].tap,
			    g->nic[i].tap, vi, vi + strlen("BRIDGE_"));
	}
	return 0;
}

/* Explicit MACs may repeat by mistake; a guest with two equal NICs is broken. */
static int
mac_unique(struct ctx *x, const struct guest *g, size_t i)
{
	char var[CONF_NAME_MAX], mac[18];
	size_t j;

	for (j = 0; j < i; j++) {
		if (memcmp(g->nic[i].mac, g->nic[j].mac, 6) != 0)
			continue;
		tap_var_name("MAC_", g->nic[i].tap, var, sizeof(var));
		format_mac(g->nic[i].mac, mac);
		return bad(x, var, conf_get(x->c, var) ? conf_get(x->c, var) :
		    mac, !g->nic[i].mac_explicit, "the same MAC as %s",
		    g->nic[j].tap);
	}
	return 0;
}

/*
 * var as one of words (NULL-terminated), its index into *out; def if
 * unset.  what names the kind in the refusal.
 */
static int
one_of(struct ctx *x, const char *var, const char *def,
    const char *const *words, const char *what, int *out)
{
	char list[128] = "";
	bool dflt;
	const char *v = get(x, var, def, &dflt);
	int i;

	for (i = 0; words[i] != NULL; i++) {
		if (strcmp(v, words[i]) == 0) {
			*out = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
		    i > 0 ? (words[i + 1] ? ", " : " or ") : "", words[i]);
	}
	return bad(x, var, v, dflt, "not a %s (use %s)", what, list);
}

static int
ready(struct ctx *x, struct guest *g)
{
	static const char *const words[] = { "mconsole", "guest", NULL };
	int i;

	if (one_of(x, "READY", "mconsole", words, "readiness", &i) < 0)
		return -1;
	g->ready = i == 1 ? READY_GUEST : READY_MCONSOLE;
	return 0;
}

/* In enum transport's order. */
static const char *const transport_words[] = { "fd", "vector", "tuntap", NULL };

const char *
transport_word(enum transport t)
{
	return (size_t)t < 3 ? transport_words[t] : "unknown";
}

static int
transport(struct ctx *x, struct guest *g)
{
	int i;

	if (one_of(x, "NET_TRANSPORT", "fd", transport_words, "transport",
	    &i) < 0)
		return -1;
	g->transport = (enum transport)i;
	return 0;
}

static int
network(struct ctx *x, struct guest *g)
{
	char word[CONF_VALUE_MAX];
	bool dflt;
	const char *v = get(x, "NETNS", "", &dflt), *net, *p;

	if (*v != '\0' &&
	    take(x, "NETNS", v, dflt, parse_name, g->netns, sizeof(g->netns)) < 0)
		return -1;
	if (transport(x, g) < 0)
		return -1;
	net = p = get(x, "NET", "", &dflt);
	while (next_word(&p, word, sizeof(word)) > 0) {
		if (g->nnic == NIC_MAX)
			return bad(x, "NET", net, false, "more than %d interfaces",
			    NIC_MAX);
		if (word_ok(x, "NET", net, "tap", word, parse_ifname) < 0)
			return -1;
		strcpy(g->nic[g->nnic].tap, word);
		if (nic_unique(x, g, net, g->nnic) < 0 ||
		    nic_vars(x, g, g->nnic) < 0 || mac_unique(x, g, g->nnic) < 0)
			return -1;
		g->nnic++;
	}
	return 0;
}

static int
kernel_args(struct ctx *x, struct guest *g)
{
	char word[CONF_VALUE_MAX];
	bool dflt;
	const char *args = get(x, "KERNEL_ARGS", "", &dflt), *p = args;

	while (next_word(&p, word, sizeof(word)) > 0) {
		if (g->nextra == EXTRA_MAX)
			return bad(x, "KERNEL_ARGS", args, false,
			    "more than %d words", EXTRA_MAX);
		if (word_ok(x, "KERNEL_ARGS", args, "word", word, parse_kword) < 0)
			return -1;
		strcpy(g->extra[g->nextra++], word);
	}
	return 0;
}

int
config_build(const struct conf *c, const char *name, struct guest *g,
    char *err, size_t errlen)
{
	struct ctx x = { c, err, errlen };
	char why[256], shown[SHOW_MAX * 4 + 8];

	memset(g, 0, sizeof(*g));
	if (errlen > 0)
		err[0] = '\0';
	if (parse_name(name, why, sizeof(why)) < 0) {
		show(name, shown, sizeof(shown));
		snprintf(err, errlen, "instance name \"%s\": %s", shown, why);
		return -1;
	}
	strcpy(g->name, name);
	if (user(&x, g) < 0 || paths(&x, g) < 0 || numbers(&x, g) < 0 ||
	    ready(&x, g) < 0 ||
	    network(&x, g) < 0 || kernel_args(&x, g) < 0)
		return -1;
	return 0;
}
