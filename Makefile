# thinbox: one non-recursive GNU Makefile. See docs/building.md.
#   make                 build/thinbox, build/libthinbox.so.0 (+ .a), build/thinbox.pc, examples
#   make static          build/thinbox-static (fully static)
#   make check           every test: layers, ABI, man pages, unit (plain + ASan/UBSan), VM
#   make check-unit | check-vm | check-crash | check-layers | check-abi | check-man | fuzz | demo
#   make install | install-links | format | check-format
# Variables: BUILD (output dir, default build), CC, PREFIX, DESTDIR, T (VM test filter),
#   LIBDIR, INCLUDEDIR, PKGCONFIGDIR, MANDIR (below PREFIX by default).

BUILD    ?= build
CC       ?= cc
PREFIX   ?= /usr/local
DESTDIR  ?=
SBINDIR  ?= $(PREFIX)/sbin
LIBDIR   ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR   ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

VERSION  := 0.1.0
# libthinbox: soname major 0; the symbol versions are in core/thinbox.sym (append-only)
SOMAJOR  := 0
SONAME   := libthinbox.so.$(SOMAJOR)
LIBSO    := $(BUILD)/libthinbox.so.$(VERSION)
LAYERS   := util kernel-iface metadata lvmfmt thinfmt core
# Which layers each layer may use (also enforced on #include lines by check-layers).
DEPS_util         :=
DEPS_kernel-iface := util
DEPS_metadata     := util
DEPS_lvmfmt       := util metadata
DEPS_thinfmt      := util
DEPS_core         := util kernel-iface metadata lvmfmt thinfmt
DEPS_cli          := util core
# The core DAG (docs/architecture.md "The core DAG"): core/<folder>/ includes its own folder,
# the folders listed here, core/ctx-internal.h and core/thinbox.h (the root), and the layers
# of DEPS_core. scripts/check-layers.sh reads these lines and enforces them on #include lines;
# each folder lists its whole closure, and only folders before it in CORE_DIRS.
CORE_DIRS               := store activate policy monitor report cmd
DEPS_core/store         :=
DEPS_core/activate      := store
DEPS_core/policy        := store activate
DEPS_core/monitor       := store activate policy
DEPS_core/report        := store activate monitor
DEPS_core/cmd           := store activate policy monitor report

WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wshadow \
	-Wformat=2 -Wformat-security -Wmissing-prototypes -Wstrict-prototypes \
	-Wmissing-declarations -Wold-style-definition -Wnested-externs -Wpointer-arith \
	-Wvla -Wundef -Wtype-limits -Wendif-labels -Wstrict-aliasing=2 -Wwrite-strings \
	-Wimplicit-fallthrough
ifeq ($(CI),true)
WARN += -Werror
endif
ifeq ($(WERROR),1)
WARN += -Werror
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags blkid uuid 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs blkid uuid 2>/dev/null || echo -lblkid -luuid)
PKG_SLIBS  := $(shell $(PKG_CONFIG) --static --libs blkid uuid 2>/dev/null || echo -lblkid -luuid)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

BASE_CFLAGS := -std=gnu11 -g -O2 -D_GNU_SOURCE -DTHINBOX_VERSION='"$(VERSION)"' \
	-fvisibility=hidden -fno-strict-aliasing -fPIC -I. $(PKG_CFLAGS) $(WARN) -MMD -MP
CFLAGS   ?=
LDFLAGS  ?=
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -O1

src_of    = $(sort $(wildcard $(1)/*.c $(1)/*/*.c))
obj_of    = $(patsubst %.c,$(2)/%.o,$(call src_of,$(1)))
# Objects of a layer plus everything it may use, built in output dir $(2). cli/ includes only
# core/thinbox.h and util/, but links against the whole library; its tests skip main.o.
LINKDEPS_cli := util kernel-iface metadata lvmfmt thinfmt core
closure   = $(filter-out $(2)/cli/main.o,$(foreach l,$(1) $(or $(LINKDEPS_$(1)),$(DEPS_$(1))),$(call obj_of,$(l),$(2))))

LIB_OBJS  := $(foreach l,$(LAYERS),$(call obj_of,$(l),$(BUILD)/obj))
CLI_OBJS  := $(call obj_of,cli,$(BUILD)/obj)

.PHONY: install-lib install-man
.PHONY: all static check check-unit check-unit-asan check-vm check-vm-full check-crash check-layers fuzz fuzz-smoke fuzz-long demo bench bench-scale bench-recipe \
	install install-links uninstall clean deps deps-test format unit-bins check-abi check-man \
	check-format examples lib FORCE
.DEFAULT_GOAL := all
.SECONDARY:

all: $(BUILD)/.deps-build $(BUILD)/thinbox lib examples
lib: $(BUILD)/libthinbox.a $(BUILD)/$(SONAME) $(BUILD)/libthinbox.so $(BUILD)/thinbox.pc

# Dependencies: installed by scripts/deps.sh when root on Debian, otherwise a clear message.
$(BUILD)/.deps-build: scripts/deps.sh
	$(Q)mkdir -p $(BUILD) && scripts/deps.sh build && touch $@
$(BUILD)/.deps-test: scripts/deps.sh
	$(Q)mkdir -p $(BUILD) && scripts/deps.sh test && touch $@
deps: $(BUILD)/.deps-build
deps-test: $(BUILD)/.deps-test

$(BUILD)/obj/%.o: %.c | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<
$(BUILD)/asan/obj/%.o: %.c | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC-SAN  $<")
	$(Q)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libthinbox.a: $(LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^
# The shared library: the same objects (-fPIC), only core/thinbox.sym's symbols exported.
$(LIBSO): $(LIB_OBJS) core/thinbox.sym
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared $(LDFLAGS) -Wl,-soname,$(SONAME) -Wl,--version-script=core/thinbox.sym \
		-Wl,--no-undefined -Wl,-z,defs -o $@ $(LIB_OBJS) $(PKG_LIBS)
$(BUILD)/$(SONAME) $(BUILD)/libthinbox.so: $(LIBSO)
	$(Q)ln -sf $(notdir $<) $@
# The library's default monitor program (tb_ctx_set_monitor_path) is the installed thinbox:
# core/store/ctx.o is rebuilt when SBINDIR changes.
$(BUILD)/.sbindir: FORCE | $(BUILD)/.deps-build
	$(Q)echo '$(SBINDIR)' | cmp -s - $@ || echo '$(SBINDIR)' > $@
$(BUILD)/obj/core/store/ctx.o $(BUILD)/asan/obj/core/store/ctx.o $(BUILD)/fuzz/obj/core/store/ctx.o: $(BUILD)/.sbindir
$(BUILD)/obj/core/store/ctx.o $(BUILD)/asan/obj/core/store/ctx.o $(BUILD)/fuzz/obj/core/store/ctx.o: \
	CFLAGS += -DTHINBOX_MONITOR_BIN='"$(SBINDIR)/thinbox"'
$(BUILD)/thinbox.pc: scripts/thinbox.pc.in Makefile $(BUILD)/.sbindir
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
		-e 's|@VERSION@|$(VERSION)|g' scripts/thinbox.pc.in > $@
# The CLI links the static archive (docs/building.md "libthinbox"): one self-contained binary
# that the VM rig, make static and make install use alike; check-abi proves that it calls
# nothing but the exported API, so it would link against the .so unchanged. By default it is
# linked fully static (libc.a, libblkid.a, libuuid.a): no dynamic loader at each start
# (docs/benchmarks.md "Where the fixed cost went"). STATIC=0 links libc, libblkid and libuuid
# dynamically, as a distribution may prefer.
STATIC ?= 1
ifeq ($(STATIC),0)
CLI_LDFLAGS :=
CLI_LIBS = $(PKG_LIBS)
else
CLI_LDFLAGS := -static
CLI_LIBS = $(PKG_SLIBS)
endif
$(BUILD)/thinbox: $(CLI_OBJS) $(BUILD)/libthinbox.a $(BUILD)/.static
	@$(if $(Q),echo "  LD      $@$(if $(CLI_LDFLAGS), (static))")
	$(Q)$(CC) $(CLI_LDFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libthinbox.a $(CLI_LIBS)
$(BUILD)/.static: FORCE | $(BUILD)/.deps-build
	$(Q)echo '$(STATIC)' | cmp -s - $@ || echo '$(STATIC)' > $@
static: $(BUILD)/thinbox-static
$(BUILD)/thinbox-static: $(CLI_OBJS) $(BUILD)/libthinbox.a
	@$(if $(Q),echo "  LD      $@ (static)")
	$(Q)$(CC) -static $(LDFLAGS) -o $@ $(CLI_OBJS) $(BUILD)/libthinbox.a $(PKG_SLIBS)

# ---- unit tests: tests/unit/<layer>/test-*.c, one binary each, linked against that layer
# and the layers it may use, plus the helpers (non-test-*.c) of tests/unit/<layer>/ and common/.
FUZZ_SRCS := $(sort $(wildcard $(foreach l,$(LAYERS),tests/fuzz/$(l)/fuzz-*.c)))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
UNIT_SRCS := $(sort $(wildcard $(foreach l,$(LAYERS) cli,tests/unit/$(l)/test-*.c)))
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
UNIT_ASAN := $(patsubst tests/unit/%.c,$(BUILD)/asan/tests/unit/%,$(UNIT_SRCS))
helpers_of = $(filter-out tests/unit/$(1)/test-%.c,$(wildcard tests/unit/$(1)/*.c)) \
	$(wildcard tests/unit/common/*.c)
layer_of = $(word 3,$(subst /, ,$(1)))

define unit_rule
$(BUILD)/tests/unit/$(1)/%: tests/unit/$(1)/%.c $(call closure,$(1),$(BUILD)/obj) \
		$(patsubst %.c,$(BUILD)/obj/%.o,$(call helpers_of,$(1)))
	@mkdir -p $$(dir $$@)
	@$$(if $(Q),echo "  TEST    $$@")
	$(Q)$$(CC) $$(BASE_CFLAGS) $$(CFLAGS) -o $$@ $$(filter %.c %.o,$$^) $$(CMOCKA_LIBS) $$(PKG_LIBS)
$(BUILD)/asan/tests/unit/$(1)/%: tests/unit/$(1)/%.c $(call closure,$(1),$(BUILD)/asan/obj) \
		$(patsubst %.c,$(BUILD)/asan/obj/%.o,$(call helpers_of,$(1)))
	@mkdir -p $$(dir $$@)
	@$$(if $(Q),echo "  TEST-SAN $$@")
	$(Q)$$(CC) $$(BASE_CFLAGS) $$(SAN_FLAGS) $$(CFLAGS) -o $$@ $$(filter %.c %.o,$$^) $$(CMOCKA_LIBS) $$(PKG_LIBS)
endef
$(foreach l,$(LAYERS) cli,$(eval $(call unit_rule,$(l))))

unit-bins: $(UNIT_BINS) $(UNIT_ASAN)

check-layers:
	$(Q)scripts/check-layers.sh

# The .so exports exactly core/thinbox.sym, which names exactly core/thinbox.h's functions;
# the installed header compiles alone; the CLI uses nothing else.
check-abi: $(LIBSO) $(CLI_OBJS)
	$(Q)NM=nm CC="$(CC)" scripts/check-abi.sh $(LIBSO) core/thinbox.sym core/thinbox.h $(CLI_OBJS)
	$(Q)NM=nm scripts/check-core-files.sh $(filter $(BUILD)/obj/core/%,$(LIB_OBJS))

# Man pages: mandoc -Tlint when installed (scripts/deps.sh test), else groff's warnings.
MAN_PAGES := $(sort $(wildcard man/*.[0-9]))
check-man:
	$(Q)scripts/check-man.sh $(MAN_PAGES)

# ---- examples/: programs outside the tree, built against the INSTALLED library:
# make install into $(BUILD)/stage, then pkg-config with that sysroot.
STAGE    := $(BUILD)/stage
EXAMPLES := $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
$(STAGE)/.installed: $(BUILD)/libthinbox.a $(LIBSO) $(BUILD)/$(SONAME) $(BUILD)/thinbox.pc core/thinbox.h
	$(Q)rm -rf $(STAGE) && $(MAKE) --no-print-directory install-lib DESTDIR=$(abspath $(STAGE)) \
		PREFIX=$(PREFIX) BUILD=$(BUILD) >/dev/null && touch $@
$(BUILD)/examples/%: examples/%.c $(STAGE)/.installed
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $@ (installed libthinbox, pkg-config)")
	$(Q)PKG_CONFIG_SYSROOT_DIR=$(abspath $(STAGE)) \
		PKG_CONFIG_PATH=$(abspath $(STAGE))$(PKGCONFIGDIR) \
		sh -c '$(CC) -std=c11 -Wall -Wextra -Werror -O2 -o $@ $< $$($(PKG_CONFIG) --cflags --libs thinbox)'
examples: $(EXAMPLES)

check-unit: $(BUILD)/.deps-test $(UNIT_BINS)
	$(Q)tests/run-unit.sh $(BUILD) $(UNIT_BINS)
check-unit-asan: $(BUILD)/.deps-test $(UNIT_ASAN)
	$(Q)ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
		tests/run-unit.sh $(BUILD) $(UNIT_ASAN)
# Helper programs for VM tests: tests/integration/<name>.c -> $(BUILD)/tests/integration/<name>.
VM_HELPERS := $(patsubst %.c,$(BUILD)/%,$(wildcard tests/integration/*.c))
$(BUILD)/tests/integration/%: tests/integration/%.c $(BUILD)/libthinbox.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $(filter %.c %.a,$^) $(PKG_LIBS)
# Crash-harness tools (tests/crash/*.c, plain C, no library): built for check-vm and check-crash.
CRASH_TOOLS := $(patsubst %.c,$(BUILD)/%,$(wildcard tests/crash/*.c))
$(BUILD)/tests/crash/%: tests/crash/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BASE_CFLAGS) $(CFLAGS) -o $@ $<
check-vm: $(BUILD)/.deps-test all $(VM_HELPERS) $(CRASH_TOOLS)
	$(Q)BUILD=$(BUILD) tests/vm/suite.sh $(T)

# Every testcase, also those of files marked "# vm-sample: N" (make check runs their first N).
check-vm-full: $(BUILD)/.deps-test all $(VM_HELPERS) $(CRASH_TOOLS)
	$(Q)BUILD=$(BUILD) THINBOX_VM_FULL=1 tests/vm/suite.sh $(T)

# Every crash point (kills and power cuts) of docs/crash.md in one VM boot; long (see there).
# CR_STRIDE=K runs every Kth point only; CR_SCEN="thin snap" some scenarios; CR_WHAT=kills.
check-crash: $(BUILD)/.deps-test all $(CRASH_TOOLS)
	$(Q)BUILD=$(BUILD) tests/crash/run.sh

# The whole suite; ends with one line "N passed, N failed".
check: $(BUILD)/.deps-test all $(UNIT_BINS) $(UNIT_ASAN) $(VM_HELPERS) $(CRASH_TOOLS) $(FUZZ_BINS)
	$(Q)$(MAKE) --no-print-directory check-abi check-man check-format BUILD=$(BUILD)
	$(Q)BUILD=$(BUILD) FUZZ_BINS="$(FUZZ_BINS)" tests/run-all.sh "$(UNIT_BINS)" "$(UNIT_ASAN)" $(T)

# ---- fuzzing (libFuzzer via clang): tests/fuzz/<layer>/fuzz-*.c
FUZZ_CC   ?= clang
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -O1
FUZZ_SECONDS ?= 60
$(BUILD)/fuzz/obj/%.o: %.c | $(BUILD)/.deps-build
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(filter-out -Wold-style-definition -Wimplicit-fallthrough,$(BASE_CFLAGS)) \
		$(FUZZ_FLAGS) -c -o $@ $<
define fuzz_rule
$(BUILD)/fuzz/$(1)/%: tests/fuzz/$(1)/%.c $(call closure,$(1),$(BUILD)/fuzz/obj)
	@mkdir -p $$(dir $$@)
	$(Q)$$(FUZZ_CC) $$(filter-out -Wold-style-definition -MMD -MP,$$(BASE_CFLAGS)) \
		-fsanitize=fuzzer,address,undefined -O1 -o $$@ $$(filter %.c %.o,$$^) $$(PKG_LIBS)
endef
$(foreach l,$(LAYERS),$(eval $(call fuzz_rule,$(l))))
fuzz: $(BUILD)/.deps-test $(FUZZ_BINS)
	$(Q)tests/run-fuzz.sh $(FUZZ_SECONDS) $(FUZZ_BINS)
fuzz-smoke: $(BUILD)/.deps-test $(FUZZ_BINS)
	$(Q)tests/run-fuzz.sh 10 $(FUZZ_BINS)
# every target for 10 minutes (issue 11: figures in docs/damaged-disks.md)
fuzz-long: $(BUILD)/.deps-test $(FUZZ_BINS)
	$(Q)tests/run-fuzz.sh 600 $(FUZZ_BINS)

# ---- the main job
# thinbox monitor vs lvm2 + dmeventd (VM rig, minutes): bench/autoextend, docs/benchmarks.md
bench: all
	$(Q)BUILD=$(BUILD) bench/autoextend

# lvs/lvcreate at N = 1k, 10k, 50k LVs, lvm2 against thinbox (VM rig): bench/scale, docs/benchmarks.md
bench-scale: all
	$(Q)BUILD=$(BUILD) bench/scale

# Docker's direct-lvm recipe, 12 commands, lvm2 against thinbox net of the guest's floor (VM rig)
bench-recipe: all
	$(Q)BUILD=$(BUILD) bench/recipe

demo: $(BUILD)/.deps-test all
	$(Q)BUILD=$(BUILD) scripts/demo.sh

# ---- install
# install-lib: what a program linking libthinbox needs (library, header, pkg-config file).
install-lib: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 0755 $(LIBSO) $(DESTDIR)$(LIBDIR)/$(notdir $(LIBSO))
	ln -sf $(notdir $(LIBSO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libthinbox.so
	install -m 0644 $(BUILD)/libthinbox.a $(DESTDIR)$(LIBDIR)/libthinbox.a
	install -m 0644 core/thinbox.h $(DESTDIR)$(INCLUDEDIR)/thinbox.h
	install -m 0644 $(BUILD)/thinbox.pc $(DESTDIR)$(PKGCONFIGDIR)/thinbox.pc
install-man:
	$(Q)for p in $(MAN_PAGES); do s=$${p##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 0644 $$p $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; done
install: all install-lib install-man
	install -d $(DESTDIR)$(SBINDIR)
	install -m 0755 $(BUILD)/thinbox $(DESTDIR)$(SBINDIR)/thinbox
LVM_NAMES := lvm pvcreate pvremove pvs pvck vgck vgcreate vgremove vgs vgchange vgextend \
	vgreduce lvcreate lvremove lvs lvchange lvconvert lvextend lvresize lvrename
# display and config commands (cli/cmd-display.c, cli/cmd-config.c)
LVM_NAMES += lvdisplay vgdisplay pvdisplay lvscan lvmconfig
# the storage clients' other commands (cli/cmd-lvmcmds.c, docs/clients.md)
LVM_NAMES += vgscan pvscan vgrename pvresize pvchange vgcfgbackup vgcfgrestore
# dmsetup: thinbox answers to it with dmsetup 1.02's syntax, output and errors (docs/cli.md)
DM_NAMES := dmsetup
install-links: install
	$(Q)for n in $(LVM_NAMES) $(DM_NAMES); do ln -sf thinbox $(DESTDIR)$(SBINDIR)/$$n; done
uninstall:
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/thinbox $(foreach n,$(LVM_NAMES) $(DM_NAMES),$(DESTDIR)$(SBINDIR)/$(n))
	$(Q)rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(LIBSO)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libthinbox.so $(DESTDIR)$(LIBDIR)/libthinbox.a \
		$(DESTDIR)$(INCLUDEDIR)/thinbox.h $(DESTDIR)$(PKGCONFIGDIR)/thinbox.pc \
		$(foreach p,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(p)))/$(notdir $(p)))

# .clang-format describes the code as it is; check-format lists what format would change.
FORMAT_SRCS = $(foreach l,$(LAYERS) cli,$(wildcard $(l)/*.[ch] $(l)/*/*.[ch])) $(wildcard examples/*.c)
format:
	clang-format -i $(FORMAT_SRCS)
check-format:
	$(Q)clang-format --dry-run --Werror $(FORMAT_SRCS) && echo "check-format: ok"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
