# SPDX-License-Identifier: GPL-2.0
#
# Installation, included by the Makefile (targets documented in its header).
#
#   make install          install-module + install-user
#   make install-module   build/stock/mach.ko into /lib/modules/KVER/updates
#                         (kbuild's modules_install: signed and compressed as
#                         the kernel's config says), then depmod
#   make install-user     libmach (+ ldconfig), headers, pkg-config, CMake
#                         config, machd and lsmach, their man pages, the udev
#                         rule, the modules-load.d entry, machd.service
#   make uninstall        exactly what install put in (uninstall-module,
#                         uninstall-user); depmod and ldconfig again
#   make dkms-install     the module's source to /usr/src/mach-VERSION, DKMS
#                         builds and installs it for every kernel with headers
#                         (and, by itself, for each kernel installed later)
#   make dkms-uninstall   removes it from DKMS and /usr/src
#
# Variables: DESTDIR (staging root: no depmod on the live system, no
# ldconfig, no systemctl), PREFIX (/usr/local), SBINDIR, LIBDIR, INCLUDEDIR,
# MANDIR; KVER (default: the kernel build/stock/mach.ko was built for, read
# from its vermagic), MACH_KDIR (that kernel's headers, default
# /lib/modules/KVER/build).  udev, systemd-modules-load and systemd read the
# vendor directories under /usr/lib and the administrator's under /etc: a
# PREFIX=/usr install (a distribution package) uses the former, any other
# PREFIX the latter (UDEVRULESDIR, MODULESLOADDIR, SYSTEMDUNITDIR override).
# DKMS, DKMS_SRCTREE (/usr/src) and DKMS_KERNELS ("KVER:HEADERS-DIR ...",
# default every /lib/modules/*/build) let CI point DKMS at private trees.

PREFIX         ?= /usr/local
DESTDIR        ?=
SBINDIR        ?= $(PREFIX)/sbin
MANDIR         ?= $(PREFIX)/share/man
SYSLIB         := $(if $(filter /usr,$(PREFIX)),/usr/lib,/etc)
UDEVRULESDIR   ?= $(SYSLIB)/udev/rules.d
MODULESLOADDIR ?= $(SYSLIB)/modules-load.d
SYSTEMDUNITDIR ?= $(SYSLIB)/systemd/system
DEPMOD         ?= depmod

MACH_VERSION   := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf)
MACH_KO        := $(BUILD)/stock/mach.ko
KVER           ?= $(shell modinfo -F vermagic $(MACH_KO) 2>/dev/null | cut -d' ' -f1)
INST_KDIR       = $(or $(MACH_KDIR),/lib/modules/$(KVER)/build)
INST_MODDIR     = $(DESTDIR)/lib/modules/$(KVER)
# kbuild signs with the kernel's own key when it has one; Debian's headers
# do not ship it (DKMS signs with the machine's MOK key instead).
sig_key         = $(shell sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$$/\1/p' $(INST_KDIR)/.config 2>/dev/null)
no_sign         = $(if $(wildcard $(INST_KDIR)/$(sig_key) $(filter /%,$(sig_key))),,CONFIG_MODULE_SIG_ALL=)
live            = $(if $(DESTDIR),,$(1))
systemd_reload  = $(call live,[ ! -d /run/systemd/system ] || systemctl daemon-reload)
udev_reload     = $(call live,! command -v udevadm >/dev/null || udevadm control --reload || true)

SUBDIRVARS      = BUILD=$(BUILD) PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
USER_FILES      = $(DESTDIR)$(UDEVRULESDIR)/60-mach.rules \
		  $(DESTDIR)$(MODULESLOADDIR)/mach.conf \
		  $(DESTDIR)$(SYSTEMDUNITDIR)/machd.service

.PHONY: install uninstall install-module uninstall-module install-user uninstall-user \
	dkms-install dkms-uninstall print-installed

install: install-module install-user
uninstall: uninstall-user uninstall-module

install-module:
	@[ -f $(MACH_KO) ] || { echo "$(MACH_KO) missing: run 'make module' first" >&2; exit 1; }
	@[ -d $(INST_KDIR) ] || { echo "$(INST_KDIR) missing: the headers of $(KVER) (set MACH_KDIR)" >&2; exit 1; }
	$(MAKE) -C $(INST_KDIR) M=$(dir $(MACH_KO))src modules_install \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=updates $(no_sign)
	$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)

# With DESTDIR, depmod's index files were made for our module alone: they
# go when no module is left in that tree.
uninstall-module:
	@[ -n "$(KVER)" ] || { echo "KVER unknown (no $(MACH_KO)): set KVER=" >&2; exit 1; }
	rm -f $(INST_MODDIR)/updates/mach.ko $(INST_MODDIR)/updates/mach.ko.*
	-@rmdir --ignore-fail-on-non-empty $(INST_MODDIR)/updates 2>/dev/null
	@if [ -z "$(DESTDIR)" ]; then $(DEPMOD) $(KVER); \
	elif [ -z "$$(find $(INST_MODDIR) -name '*.ko*' 2>/dev/null)" ]; then \
		rm -f $(INST_MODDIR)/modules.*; \
	else $(DEPMOD) -b $(DESTDIR) $(KVER); fi

install-user:
	$(MAKE) -C lib install $(SUBDIRVARS) UAPI=$(CURDIR)/uapi
	$(MAKE) -C tools install $(SUBDIRVARS) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	install -D -m 644 dist/60-mach.rules $(DESTDIR)$(UDEVRULESDIR)/60-mach.rules
	install -D -m 644 dist/mach.conf $(DESTDIR)$(MODULESLOADDIR)/mach.conf
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|' tools/machd/machd.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/machd.service
	$(udev_reload)
	$(systemd_reload)

uninstall-user:
	$(MAKE) -C lib uninstall $(SUBDIRVARS)
	$(MAKE) -C tools uninstall $(SUBDIRVARS) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	rm -f $(USER_FILES)
	$(udev_reload)
	$(systemd_reload)

# Every file install-user puts in (the module's path depends on the kernel's
# compression, and depmod's files on kmod's version).
print-installed:
	@$(MAKE) -s --no-print-directory -C lib print-installed $(SUBDIRVARS)
	@$(MAKE) -s --no-print-directory -C tools print-installed $(SUBDIRVARS) SBINDIR=$(SBINDIR) MANDIR=$(MANDIR)
	@printf '%s\n' $(USER_FILES)

# ---- DKMS -------------------------------------------------------------------

DKMS          ?= dkms
DKMS_SRCTREE  ?= /usr/src
DKMS_SRC       = $(DESTDIR)$(DKMS_SRCTREE)/mach-$(MACH_VERSION)
DKMS_KERNELS  ?= $(foreach d,$(wildcard /lib/modules/*/build),$(notdir $(patsubst %/build,%,$(d))):$(d))
DKMS_FILES     = Kbuild dkms.conf COPYING $(wildcard module/*.c module/*.h) uapi/linux/mach.h

dkms-install:
	@command -v $(firstword $(DKMS)) >/dev/null || { echo "dkms missing: apt-get install dkms" >&2; exit 1; }
	@[ -n "$(DKMS_KERNELS)" ] || { echo "no kernel headers in /lib/modules/*/build" >&2; exit 1; }
	-@$(DKMS) status -m mach -v $(MACH_VERSION) | grep -q . && \
		$(DKMS) remove -m mach -v $(MACH_VERSION) --all
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module $(DKMS_SRC)/uapi/linux
	for f in $(DKMS_FILES); do install -m 644 $$f $(DKMS_SRC)/$$f || exit 1; done
	$(DKMS) add -m mach -v $(MACH_VERSION)
	@failed=; for kk in $(DKMS_KERNELS); do k=$${kk%%:*} d=$${kk#*:}; \
		echo "dkms: mach $(MACH_VERSION) for $$k ($$d)"; \
		$(DKMS) install -m mach -v $(MACH_VERSION) -k $$k --kernelsourcedir $$d || failed="$$failed $$k"; \
	done; [ -z "$$failed" ] || { echo "dkms: build failed for$$failed" >&2; exit 1; }

dkms-uninstall:
	-@$(DKMS) status -m mach -v $(MACH_VERSION) | grep -q . && \
		$(DKMS) remove -m mach -v $(MACH_VERSION) --all
	rm -rf $(DKMS_SRC)
