#!/bin/sh
# tests/catalogs.sh: the message catalogs (po/, docs/translating.md), as `make check` runs it
# from the repository's top.
#  - po/pipegrade.pot lists exactly the sentences of harness/ that go through the catalog:
#    xgettext is run again and the two sets of messages compared (a sentence added to the
#    code and not to the template fails here: `make pot`);
#  - every po/LANG.po has every message of the template and no other, and
#    `msgfmt --check --statistics` finds it well-formed (format strings that match their
#    English, a valid header and plural rule) and complete: no message untranslated or fuzzy.
set -eu
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=$(make -s --no-print-directory -f Makefile -f - print-xgettext-flags <<'MK'
print-xgettext-flags:
	@echo $(XGETTEXT_FLAGS)
MK
)
# shellcheck disable=SC2086 # the flags, split on purpose
xgettext $flags -o "$tmp/now.pot" harness/*.c harness/*.h
if msgcmp --use-untranslated "$tmp/now.pot" po/pipegrade.pot >"$tmp/out" 2>&1 &&
	msgcmp --use-untranslated po/pipegrade.pot "$tmp/now.pot" >>"$tmp/out" 2>&1; then
	echo "ok   po/pipegrade.pot: the messages of harness/"
else
	echo "FAIL po/pipegrade.pot is not the messages of harness/ (run make pot):"
	head -n 20 "$tmp/out" | sed "s/^/     /"
	fail=1
fi
for po in po/*.po; do
	if ! msgcmp "$po" po/pipegrade.pot >"$tmp/out" 2>&1; then
		echo "FAIL $po lacks messages of po/pipegrade.pot:"
		head -n 20 "$tmp/out" | sed "s/^/     /"
		fail=1
	fi
	stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1) || {
		echo "FAIL $po: $stats"
		fail=1
		continue
	}
	case $stats in
	*untranslated* | *fuzzy*)
		echo "FAIL $po is not complete: $stats"
		fail=1
		;;
	*)
		echo "ok   $po: $stats"
		;;
	esac
done
[ "$fail" -eq 0 ] && echo "catalogs: complete" || exit 1
