/*
 * i18n.h: every sentence a person reads, in their language, through GNU gettext (text domain
 * "pipegrade"; docs/translating.md).
 *
 * English is the source language: a sentence is written in place, in English, as _("...")
 * (N_("...") marks one that is translated later, where it is used; P_(one, many, n) chooses a
 * plural form by the catalog's rule; C_(context, "...") tells apart two uses of the same
 * English words). The catalogs are po/LANG.po, compiled to LANG/LC_MESSAGES/pipegrade.mo under
 * the catalog folder. Machine-readable words (finding kinds, JSON keys, CSV headers, case
 * names) are never translated.
 *
 * The language is process-wide: i18n_init() once, then i18n_set() (the CLI: --lang, or
 * i18n_from_env()). gettext is given the language itself (glibc ignores LANGUAGE in the C
 * locale, CI's default): only LC_MESSAGES is set, to C.UTF-8, so that numbers (LC_NUMERIC)
 * never change in JSON or in the parsing of grading.yaml. Format strings keep their
 * compile-time checks through format_arg.
 */
#ifndef PIPEGRADE_I18N_H
#define PIPEGRADE_I18N_H

#include <stddef.h>

/* The catalogs' folder: $PIPEGRADE_LOCALEDIR; else `locale` next to the running program (a
 * build: build/plain/locale, or ./locale for ./pipegrade), or `../share/locale` from it (an
 * installed one); else the folder `make install` puts them in. Binds the text domain there,
 * with UTF-8 output. Call once, first. */
void i18n_init(void);

/* Speaks `lang`: "en", or a language with a catalog ("es", "pt_BR"), also as a locale name
 * ("es_AR.UTF-8", "pt-BR", "pt": the closest catalog). Returns 0, or -1 when there is no
 * such language (English stays, or what was in force). */
int i18n_set(const char *lang);

/* The language in force: "en", "es" or "pt_BR". */
const char *i18n_get(void);

/* The language the environment asks for, as gettext reads it: the first entry of LANGUAGE
 * (a list, "pt_BR:es") that pipegrade speaks, else LC_ALL, LC_MESSAGES, LANG (the first one
 * set); "en" when none names a language pipegrade speaks. Never NULL. */
const char *i18n_from_env(void);

/* The languages pipegrade speaks, "en" first; NULL-terminated. */
extern const char *const i18n_languages[];

/* Whether the catalog of the language in force was found (always true for English). */
int i18n_catalog_found(void);

/* The catalogs' folder i18n_init() chose. */
const char *i18n_localedir(void);

const char *i18n_text(const char *msgid) __attribute__((format_arg(1)));
const char *i18n_plural(const char *one, const char *many, unsigned long n)
	__attribute__((format_arg(1))) __attribute__((format_arg(2)));
const char *i18n_context(const char *context, const char *msgid) __attribute__((format_arg(2)));

#define _(msgid) i18n_text(msgid)
#define N_(msgid) msgid
#define P_(one, many, n) i18n_plural(one, many, (unsigned long)(n))
#define C_(context, msgid) i18n_context(context, msgid)

#endif
