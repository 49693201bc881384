/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * confdump FILE...: print the assignments umlctl's conf.d parser makes for
 * each FILE (read as /etc/conf.d/uml.x, RC_SVCNAME=uml.x), one NAME=HEX
 * line per variable, values hex-encoded; exit 1 if it refuses a file.
 * t-conf-sh.sh compares this with what real shells assign.
 */
#include <stdio.h>

#include "confread.h"

static void hex(const char *s)
{
	for (; *s; s++)
		printf("%02x", (unsigned char)*s);
}

int main(int argc, char **argv)
{
	static struct conf c;
	static char text[1 << 16];
	char err[1024];
	size_t n, i;
	FILE *f;
	int a;

	conf_init(&c);
	conf_set_builtin(&c, "RC_SVCNAME", "uml.x");
	for (a = 1; a < argc; a++) {
		if (!(f = fopen(argv[a], "rb")))
			return perror(argv[a]), 2;
		n = fread(text, 1, sizeof text, f);
		fclose(f);
		if (conf_parse(&c, argv[a], text, n, err, sizeof err) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
	}
	for (i = 0; i < c.n; i++) {
		if (c.var[i].builtin)
			continue;
		printf("%s=", c.var[i].name);
		hex(c.var[i].value);
		printf("\n");
	}
	return 0;
}
