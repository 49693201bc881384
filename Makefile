# SPDX-License-Identifier: BSD-2-Clause
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

# src/ has one folder per layer, top first: the one statement of the
# order.  A file calls only files of its own folder (no cycle) or of a
# folder after it; `make layers' (tests/tools/layers.sh) checks that, and
# that pure/ does no I/O and keeps no writable globals, that no source
# keeps a callback in a global and every .c is in a layer (HACKING.md).
LAYERS = cli supervisor resources system pure
SRC = $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
# Pure code: no I/O; what the unit tests and fuzzers link.
PURE_SRC = $(wildcard src/pure/*.c)
HDR = $(wildcard src/*/*.h)
INC = $(LAYERS:%=-Isrc/%)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_SECONDS ?= 5
# libFuzzer's -seed: 1 makes make check explore much the same inputs on
# every machine (timing still moves libFuzzer's schedule a little), as
# they were tried before landing; 0 draws a random seed, for exploring.
FUZZ_SEED ?= 1

B = build

all: $(B)/umlctl

# The binary is linked from the objects `make layers' reads.
OBJ = $(SRC:src/%.c=$(B)/obj/%.o)
$(B)/umlctl: $(OBJ) | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $(OBJ) $(LDFLAGS) $(LDLIBS_SYS)

$(B):
	mkdir -p $(B)/unit $(B)/asan/unit $(B)/fuzz $(B)/obj

# VERSION is compiled into main.c only.
$(B)/obj/cli/main.o: VERSION
$(B)/obj/%.o: src/%.c $(HDR) | $(B)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(INC) -c -o $@ $<

layers: $(OBJ)
	sh tests/tools/layers.sh -s src "$(LAYERS)" $(OBJ)

# Unit tests, plain and under ASan+UBSan.
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/unit/%)
UNIT_ASAN = $(UNIT_SRC:tests/unit/%.c=$(B)/asan/unit/%)
SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(B)/unit/%: tests/unit/%.c $(PURE_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) $(INC) -o $@ $< $(PURE_SRC) -lcmocka
$(B)/asan/unit/%: tests/unit/%.c $(PURE_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) $(SAN) $(INC) -o $@ $< $(PURE_SRC) -lcmocka

$(B)/asan/umlctl: $(SRC) $(HDR) VERSION | $(B)
	$(CC) $(ALL_CFLAGS) $(INC) $(SAN) -DUMLCTL_TESTING -o $@ $(SRC) $(LDLIBS_SYS)

$(B)/fakekernel: tests/tools/fakekernel.c src/pure/mcproto.c $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) $(INC) -o $@ tests/tools/fakekernel.c src/pure/mcproto.c

$(B)/confdump: tests/tools/confdump.c $(PURE_SRC) $(HDR) | $(B)
	$(CC) $(ALL_CFLAGS) $(INC) -o $@ tests/tools/confdump.c $(PURE_SRC)

unit: $(UNIT_BIN) $(UNIT_ASAN)
	@set -e; for t in $(UNIT_BIN) $(UNIT_ASAN); do echo "== $$t"; $$t tests/golden; done

# Fuzzers (clang's libFuzzer): a short bounded run of each in make check;
# `make fuzz FUZZ_SECONDS=600 FUZZ_SEED=0` is the long campaign.
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(B)/fuzz/%)
$(B)/fuzz/%: tests/fuzz/%.c $(PURE_SRC) $(HDR) | $(B)
	$(CLANG) $(CSTD) -g -O1 $(INC) -fsanitize=fuzzer,address,undefined -o $@ $< $(PURE_SRC)

fuzz: $(FUZZ_BIN)
	@set -e; for f in $(FUZZ_BIN); do n=$${f##*/}; mkdir -p $(B)/fuzz/corpus-$$n; \
	  echo "== $$n ($(FUZZ_SECONDS) s)"; \
	  if ! $$f -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -print_final_stats=1 \
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
		--suppressions-list=tests/tools/cppcheck.supp $(INC) $(SRC) tests/tools/fakekernel.c tests/tools/confdump.c

lint:
	shellcheck -s sh init.d/uml tests/*.sh tests/tools/*.sh tests/bench/*.sh tests/soak/*.sh \
		demo.sh kernel/build.sh
	shellcheck -s bash completion/umlctl
	mandoc -Tlint -Wwarning man/umlctl.8 man/uml.8
	sh tests/tools/spdx.sh
	sh tests/tools/knf.sh

check: all layers warn unit fuzz lint analyze $(B)/fakekernel $(B)/asan/umlctl $(B)/confdump \
	test-kernel
	tests/run.sh

# The chaos soak (tests/soak/soak.sh, RELIABILITY.md): real guests, random
# operations from SOAK_SEED, invariants after every step; build/soak/report.md.
SOAK_MINUTES ?= 60
SOAK_GUESTS ?= 8
soak: all test-kernel
	SOAK_MINUTES='$(SOAK_MINUTES)' SOAK_GUESTS='$(SOAK_GUESTS)' $(if $(SOAK_SEED),SOAK_SEED='$(SOAK_SEED)') \
		sh tests/soak/soak.sh

# A UML kernel for umlctl (kernel/build.sh; KSRC=DIR builds from a tree of
# yours), installed as $(KERNELDIR)/linux.  Minutes the first time, then
# nothing until the source or kernel/umlctl.config changes.
kernel:
	KERNELDIR='$(DESTDIR)$(KERNELDIR)' KCACHE='$(KCACHE)' sh kernel/build.sh

# The same build, for the tests, kept in the cache.
test-kernel:
	KERNELDIR='$(TEST_KERNELDIR)' KCACHE='$(KCACHE)' sh kernel/build.sh >/dev/null

# The runscript with this build's paths and umlctl's exit statuses (from
# src/pure/guest.h, their one definition) filled in.  Tests and the benchmark
# make their own copy with SBINDIR=their build and RUNSCRIPT=their path.
RUNSCRIPT ?= $(B)/uml.init
$(B)/exit.sed: src/pure/guest.h | $(B)
	sed -n 's/^\t\(EX_[A-Z]*\) = \([0-9]*\),.*/s|@\1@|\2|g/p' src/pure/guest.h > $@
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

# A parallel build in a Debian 12 guest, CPUS=2 against CPUS=1
# (tests/bench/gbuild.sh; build/bench-build/report.md).
bench-build: all test-kernel
	REALKERNEL='$(TEST_KERNELDIR)/linux' sh tests/bench/gbuild.sh

clean:
	rm -rf $(B)

help:
	@echo "targets: all install uninstall check layers unit fuzz warn lint analyze bench bench-build soak dist kernel test-kernel clean"
	@echo "variables: PREFIX=$(PREFIX) SYSCONFDIR=$(SYSCONFDIR) DESTDIR= FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_SEED=$(FUZZ_SEED)"
	@echo "           KERNELDIR=$(KERNELDIR) KCACHE=$(KCACHE) KSRC= (make kernel)"

.PHONY: runscript all layers unit fuzz warn lint analyze check install uninstall bench bench-build clean help dist \
	kernel test-kernel soak
