# mach.ko + libmach + selftests: the one entry point.
#
#   make                      build mach.ko (stock kernel), libmach, selftests
#   make module FLAVOUR=debug build mach.ko for the debug kernel (builds it once);
#                             FLAVOUR=stock-6.12: for Debian's 6.12 LTS kernel
#   make module MACH_KDIR=DIR build mach.ko against any kernel build tree or
#                             headers directory (nothing resolved or fetched)
#   make check                install deps, build everything for every kernel,
#                             self-test the scripts, run the selftests in a VM
#                             on the stock 6.1, stock 6.12 and debug kernels;
#                             last line: "N passed, N failed, N skipped"
#   make demo                 boot the stock kernel, load the module, run the demo:
#                             machd, an echo service and a client (tools/demo)
#   make fuzz [FUZZ_OPS=1000000] [FUZZ_SEED=n]
#                             long seeded fuzzing on the debug kernel (fuzz/)
#   make bench                mach_msg against pipes, sockets, eventfd, futexes
#                             (stock kernel, deterministic + 2-vCPU VMs)
#   make shell [FLAVOUR=..]   interactive shell in a VM with the module loaded
#   make deps                 install the Debian packages (idempotent)
#   make kernels              fetch the stock kernel, build the debug kernel
#   make clean                remove build/ (the kernel cache in ~/.cache stays)
#   make install [DESTDIR= PREFIX=/usr/local]   module, libmach, tools, udev
#                             rule, modules-load.d, machd.service, man pages
#   make uninstall            exactly what install put in
#   make dkms-install         mach.ko through DKMS, for every kernel; then
#                             `make install-user` for the rest (install.mk)
#   make mig                  the interface generator, $(BUILD)/mig/mig (a
#                             host tool; lib, selftests and tools use it)
#
# Everything is built under $(BUILD) (default ./build); kernels and downloads
# are cached in ~/.cache/mach-linux (MACH_CACHE) and shared by all checkouts.
#
# Contract with the sub-directories: their Makefiles are called as
#
#   $(MAKE) -C lib       BUILD=<abs build dir> UAPI=<abs>/uapi
#   $(MAKE) -C selftests BUILD=<abs build dir> KSFT_DIR=<kernel src>/tools/testing/selftests
#   $(MAKE) -C lib|selftests clean BUILD=<abs build dir>
#
# BUILD is the top build directory (./build by default), never a source dir.
#   lib:       libmach.so (+ SONAME symlinks), libmach.a, mach.pc into
#              $(BUILD)/lib.  Test programs that need /dev/mach go into
#              $(BUILD)/lib-tests (run in the VM from /libtests, with
#              libmach.so in /usr/lib).
#   selftests: kselftest binaries into $(BUILD)/selftests (run in the VM
#              from /selftests), kselftest.h and kselftest_harness.h from
#              KSFT_DIR (Debian's linux-source-6.1, unpacked in the cache).
# Every executable directly in $(BUILD)/selftests and $(BUILD)/lib-tests is
# one test program, run in the VM on both kernels with a timeout
# (MACH_SELFTEST_TIMEOUT, default 300 s).  It prints KTAP ("ok N name",
# "not ok N name", "ok N name # SKIP why"), or, printing no result at all,
# counts as one test by its exit status (0 pass, 4 skip, else fail).  A
# program that crashes or times out counts as failed.  Keep non-test helpers
# out of those two directories (or not executable).  Anything else the VM
# needs: PAYLOAD in scripts/vm-run.sh (build/tools -> /usr/local/bin,
# build/bench -> /bench, build/demo -> /demo).

FLAVOUR ?= stock
BUILD   := $(abspath build)
S       := scripts

export MACH_BUILD := $(BUILD)

KSFT_DIR = $(shell $(S)/kernel-src.sh)/tools/testing/selftests

.PHONY: all module modules lib mig selftests tools fuzzer fuzz deps kernels check host-tests demo bench shell clean

all: module lib selftests tools fuzzer

# The interface generator, a host tool: before anything that runs it.
mig:
	$(MAKE) -C tools/mig BUILD=$(BUILD)

module:
	@$(S)/build-module.sh $(FLAVOUR)

modules:
	@$(S)/build-module.sh stock
	@$(S)/build-module.sh stock-6.12
	@$(S)/build-module.sh debug
	@$(S)/build-module.sh minimal

ifneq ($(wildcard lib/Makefile),)
lib: mig
	$(MAKE) -C lib BUILD=$(BUILD) UAPI=$(CURDIR)/uapi
else
lib:
	@echo "lib/Makefile not there yet: libmach skipped"
endif

ifneq ($(wildcard selftests/Makefile),)
selftests: lib
	$(MAKE) -C selftests BUILD=$(BUILD) KSFT_DIR=$(KSFT_DIR)
else
selftests:
	@echo "selftests/Makefile not there yet: selftests skipped"
endif

tools: lib mig
	$(MAKE) -C tools BUILD=$(BUILD)

# mach-fuzz into build/fuzz (the VM's /fuzz); check runs it on the debug kernel.
fuzzer: lib
	$(MAKE) -C fuzz BUILD=$(BUILD)

fuzz:
	@$(S)/deps.sh
	@$(MAKE) --no-print-directory module lib fuzzer FLAVOUR=debug
	@fuzz/run.sh

deps:
	@$(S)/deps.sh

kernels:
	@$(S)/stock-kernel.sh >/dev/null
	@$(S)/kernel-6.12.sh vmlinuz >/dev/null
	@$(S)/kernel-6.12.sh kdir >/dev/null
	@$(S)/debug-kernel.sh >/dev/null
	@MACH_DEBUG_FRAGMENT=$(CURDIR)/scripts/minimal.config $(S)/debug-kernel.sh >/dev/null

# Self-tests of the scripts themselves (run on the host, also part of check).
host-tests:
	@mkdir -p $(BUILD)
	@$(S)/run-selftests.sh $(S)/tests > $(BUILD)/host-tests.log 2>&1; \
	$(S)/ktap-summary.sh host $(BUILD)/host-tests.log

# Sequenced with sub-makes, so that deps are installed before anything else
# is even looked at (a fresh machine has no compiler, headers or qemu).
check:
	@$(S)/deps.sh
	@$(MAKE) --no-print-directory kernels
	@$(MAKE) --no-print-directory modules lib selftests tools fuzzer
	@$(S)/check.sh

# The main job: machd, an echo service and a client doing RPCs with inline
# data, a port and out-of-line memory, then lsmach's view of them.
demo:
	@$(S)/deps.sh
	@$(MAKE) --no-print-directory module lib tools FLAVOUR=stock
	@$(S)/vm-run.sh stock mach-demo

# Benchmarks: stock kernel, deterministic and 2-vCPU VMs; never part of
# check.  Results in build/bench/results.{md,json} and latency.png.
bench:
	@$(S)/deps.sh
	@bench/bench.sh

shell:
	@$(MAKE) --no-print-directory module lib selftests tools FLAVOUR=$(FLAVOUR)
	@$(S)/vm-run.sh --shell $(FLAVOUR)

include install.mk

clean:
	-@[ ! -f lib/Makefile ] || $(MAKE) -C lib clean BUILD=$(BUILD)
	-@[ ! -f selftests/Makefile ] || $(MAKE) -C selftests clean BUILD=$(BUILD)
	-@$(MAKE) -C tools clean BUILD=$(BUILD)
	-@$(MAKE) -C tools/mig clean BUILD=$(BUILD)
	-@$(MAKE) -C fuzz clean BUILD=$(BUILD)
	rm -rf $(BUILD)
