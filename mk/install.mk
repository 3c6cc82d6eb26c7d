# make install / uninstall: the binary, its data (lessons, assets), the man
# page and bash completion. PREFIX and DESTDIR as usual.
PREFIX ?= /usr/local
BINDIR := $(DESTDIR)$(PREFIX)/bin
SHAREDIR := $(DESTDIR)$(PREFIX)/share/tlsstep
MANDIR := $(DESTDIR)$(PREFIX)/share/man/man1
COMPDIR := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
.PHONY: install uninstall

install: all
	install -d $(BINDIR) $(SHAREDIR)/lessons $(SHAREDIR)/assets $(MANDIR) $(COMPDIR)
	install -m 755 $(B)/tlsstep $(BINDIR)/tlsstep
	install -m 644 lessons/*.md $(SHAREDIR)/lessons/
	install -m 644 assets/*.crt assets/*.key assets/*.pem assets/README.md $(SHAREDIR)/assets/
	install -m 644 doc/tlsstep.1 $(MANDIR)/tlsstep.1
	install -m 644 completion/tlsstep.bash $(COMPDIR)/tlsstep

uninstall:
	rm -f $(BINDIR)/tlsstep $(MANDIR)/tlsstep.1 $(COMPDIR)/tlsstep
	rm -rf $(SHAREDIR)
