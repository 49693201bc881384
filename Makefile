# umlctl: run User Mode Linux guests as OpenRC services.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
COMPLETIONDIR ?= $(PREFIX)/share/bash-completion/completions
SYSCONFDIR ?= /etc
RUNDIR ?= /run/uml
RCLIBDIR ?= /lib/rc
LOGDIR ?= /var/log/uml
DESTDIR ?=
KERNELDIR ?= $(PREFIX)/lib/uml
KCACHE ?= /var/cache/umlctl/kernel
# The kernel the integration tests run (tests/lib.sh: T_KBUILT).
TEST_KERNELDIR = $(KCACHE)/bin

CC ?= cc
CLANG ?= clang
CSTD = -std=c11 -D_GNU_SOURCE
WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wcast-qual -Wpointer-arith -Wvla -Wundef -Wno-unused-parameter
CFLAGS ?= -O2 -g
VERSION := $(shell cat VERSION)
ALL_CFLAGS = $(CSTD) $(WARN) $(CPPFLAGS) $(CFLAGS) -DSYSCONFDIR='"$(SYSCONFDIR)"' \
	-DUMLCTL_VERSION='"$(VERSION)"' \
	-DRUNDIR='"$(RUNDIR)"' -DLOGDIR='"$(LOGDIR)"' -DRCLIBDIR='"$(RCLIBDIR)"'
LDLIBS_SYS = -lcap -lseccomp -lmnl -lext2fs -lcom_err

# Pure code: no I/O; what the unit tests and fuzzers link.
PURE_SRC = src/conf.c src/conftab.c src/parse.c src/config.c src/confnic.c src/confval.c src/kargv.c src/mcproto.c src/kfacts.c src/perm.c src/kword.c src/chars.c src/runrec.c src/logq.c src/cow.c src/gcheck.c
SYS_SRC = src/main.c src/create.c src/cmd.c src/show.c src/console.c src/supervise.c src/ladder.c src/sup.c src/supcon.c \
	src/host.c src/net.c src/rundir.c src/clog.c src/mconsole.c src/privdrop.c \
	src/openrc.c src/probe.c src/cwork.c src/disk.c src/walk.c src/prepare.c src/gimage.c src/proc.c src/kfilter.c src/nl.c src/util.c
HDR = $(wildcard src/*.h)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_SECONDS ?= 5

B = build

all: $(B)/umlctl

$(B)/umlctl: $(PURE_SRC) $(SYS_SRC) $(HDR) VERSION | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(PURE_SRC) $(SYS_SRC) $(LDFLAGS) $(LDLIBS_SYS)

$(B):
	mkdir -p $(B)/unit $(B)/asan/unit $(B)/fuzz $(B)/obj

# Calls between the source files go one way, down the layers of
# HACKING.md; tests/tools/layers.sh reads the objects' symbol tables.
OBJ = $(PURE_SRC:src/%.c=$(B)/obj/%.o) $(SYS_SRC:src/%.c=$(B)/obj/%.o)
$(B)/obj/%.o: src/%.c $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

layers: $(OBJ)
	sh tests/tools/layers.sh $(OBJ)

# Unit tests, plain and under ASan+UBSan.
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
UNIT_ASAN = $(UNIT_SRC:tests/unit/%.c=$(B)/asan/unit/%)
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(B)/unit/%: tests/unit/%.c $(PURE_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(PURE_SRC) -lcmocka
$(B)/asan/unit/%: tests/unit/%.c $(PURE_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) $(SAN) -Isrc -o $@ $< $(PURE_SRC) -lcmocka

$(B)/asan/umlctl: $(PURE_SRC) $(SYS_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) $(SAN) -DUMLCTL_TESTING -o $@ $(PURE_SRC) $(SYS_SRC) $(LDLIBS_SYS)

$(B)/fakekernel: tests/tools/fakekernel.c src/mcproto.c $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ tests/tools/fakekernel.c src/mcproto.c

$(B)/confdump: tests/tools/confdump.c $(PURE_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ tests/tools/confdump.c $(PURE_SRC)

unit: $(UNIT_BIN) $(UNIT_ASAN)
	@set -e; for t in $(UNIT_BIN) $(UNIT_ASAN); do echo "== $$t"; $$t tests/golden; done

# Fuzzers (clang's libFuzzer): a short bounded run of each in make check;
# `make fuzz FUZZ_SECONDS=600` is the long campaign.
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
$(B)/fuzz/%: tests/fuzz/%.c $(PURE_SRC) $(HDR) | $(B)
	$(CLANG) $(CSTD) -g -O1 -Isrc -fsanitize=fuzzer,address,undefined -o $@ $< $(PURE_SRC)

fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do n=$${f##*/}; mkdir -p $(B)/fuzz/corpus-$$n; \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  if ! $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(B)/fuzz/$$n- \
	    $(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n > $(B)/fuzz/$$n.log 2>&1; then \
	    tail -n 40 $(B)/fuzz/$$n.log; echo "fuzz: $$n FAILED"; exit 1; fi; \
	  grep -E 'stat::number_of_executed_units' $(B)/fuzz/$$n.log; \
	done

# Both compilers, strict warnings.
# gcc and clang, and gcc with the flags Debian builds with (fortify).
warn:
	$(MAKE) -s B=$(B)/gcc CC=gcc $(B)/gcc/umlctl
	$(MAKE) -s B=$(B)/clang CC=clang $(B)/clang/umlctl
	$(MAKE) -s B=$(B)/fortify CC=gcc CFLAGS="-O2 -g" \
		CPPFLAGS=-D_FORTIFY_SOURCE=2 $(B)/fortify/umlctl

# Static analysis; every suppression is explained in tests/tools/cppcheck.supp.
analyze:
	cppcheck --enable=warning,style,performance,portability --std=c11 \
		-D_GNU_SOURCE -DRUNDIR='"/run/uml"' --quiet --error-exitcode=1 \
		--suppressions-list=tests/tools/cppcheck.supp -I src src/*.c tests/tools/fakekernel.c tests/tools/confdump.c

lint:
	shellcheck -s sh init.d/uml tests/*.sh tests/tools/*.sh tests/bench/*.sh demo.sh kernel/build.sh
	shellcheck -s bash completion/umlctl
	mandoc -Tlint -Wwarning man/umlctl.8 man/uml.8

check: all layers warn unit fuzz lint analyze $(B)/fakekernel $(B)/asan/umlctl $(B)/confdump \
	test-kernel
	tests/run.sh

# A UML kernel for umlctl (kernel/build.sh; KSRC=DIR builds from a tree of
# yours), installed as $(KERNELDIR)/linux.  Minutes the first time, then
# nothing until the source or kernel/umlctl.config changes.
kernel:
	KERNELDIR='$(DESTDIR)$(KERNELDIR)' KCACHE='$(KCACHE)' sh kernel/build.sh

# The same build, for the tests, kept in the cache.
test-kernel:
	KERNELDIR='$(TEST_KERNELDIR)' KCACHE='$(KCACHE)' sh kernel/build.sh >/dev/null

# The runscript with this build's paths and umlctl's exit statuses (from
# src/guest.h, their one definition) filled in.  Tests and the benchmark
# make their own copy with SBINDIR=their build and RUNSCRIPT=their path.
RUNSCRIPT ?= $(B)/uml.init
$(B)/exit.sed: src/guest.h | $(B)
	sed -n 's/^\t\(EX_[A-Z]*\) = \([0-9]*\),.*/s|@\1@|\2|g/p' src/guest.h > $@
runscript: $(B)/exit.sed
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@RUNDIR@|$(RUNDIR)|g' \
		-f $(B)/exit.sed init.d/uml > $(RUNSCRIPT)
	! grep -n '@[A-Z_]*@' $(RUNSCRIPT)

install: $(B)/umlctl runscript
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(SYSCONFDIR)/init.d \
		$(DESTDIR)$(SYSCONFDIR)/conf.d $(DESTDIR)$(MANDIR)/man8 \
		$(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(COMPLETIONDIR)
	install -m 0755 $(B)/umlctl $(DESTDIR)$(SBINDIR)/umlctl
	install -m 0755 $(B)/uml.init $(DESTDIR)$(SYSCONFDIR)/init.d/uml
	[ -e $(DESTDIR)$(SYSCONFDIR)/conf.d/uml ] || \
		install -m 0644 conf.d/uml $(DESTDIR)$(SYSCONFDIR)/conf.d/uml
	install -m 0644 man/umlctl.8 man/uml.8 $(DESTDIR)$(MANDIR)/man8/
	sed 's|@SBINDIR@|$(SBINDIR)|g' logrotate.d/uml >$(DESTDIR)$(SYSCONFDIR)/logrotate.d/uml
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/logrotate.d/uml
	install -m 0644 completion/umlctl $(DESTDIR)$(COMPLETIONDIR)/umlctl

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/umlctl $(DESTDIR)$(SYSCONFDIR)/init.d/uml \
		$(DESTDIR)$(MANDIR)/man8/umlctl.8 $(DESTDIR)$(MANDIR)/man8/uml.8 \
		$(DESTDIR)$(SYSCONFDIR)/logrotate.d/uml \
		$(DESTDIR)$(COMPLETIONDIR)/umlctl
	@echo "kept $(DESTDIR)$(SYSCONFDIR)/conf.d/uml and any uml.* guests"

# A release tarball of the files git tracks, the same bytes every time for
# one commit: sorted names, root's owner, the commit's time, gzip -n.
DIST = umlctl-$(VERSION)
dist:
	@git rev-parse --git-dir >/dev/null 2>&1 || { echo "dist: needs a git checkout" >&2; exit 2; }
	mkdir -p $(B)
	git ls-files | sed 's|^|$(DIST)/|' >$(B)/dist.list
	rm -rf $(B)/dist && mkdir -p $(B)/dist && ln -s $(CURDIR) $(B)/dist/$(DIST)
	tar -C $(B)/dist -c --dereference --sort=name --format=gnu --owner=0 \
	    --group=0 --numeric-owner --mtime=@$$(git log -1 --format=%ct) \
	    -T $(B)/dist.list | gzip -n -9 >$(DIST).tar.gz
	rm -rf $(B)/dist $(B)/dist.list
	@echo "$(DIST).tar.gz"

bench: all $(B)/fakekernel
	tests/bench/bench.sh

clean:
	rm -rf $(B)

help:
	@echo "targets: all install uninstall check layers unit fuzz warn lint analyze bench dist kernel test-kernel clean"
	@echo "variables: PREFIX=$(PREFIX) SYSCONFDIR=$(SYSCONFDIR) DESTDIR= FUZZ_SECONDS=$(FUZZ_SECONDS)"
	@echo "           KERNELDIR=$(KERNELDIR) KCACHE=$(KCACHE) KSRC= (make kernel)"

.PHONY: runscript all layers unit fuzz warn lint analyze check install uninstall bench clean help dist \
	kernel test-kernel
