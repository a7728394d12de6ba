/*
 * i18n.h: the two languages pipegrade speaks to students, English and Spanish.
 *
 * Every sentence a student reads is written in place as L("English", "Español"); the language
 * in force picks one. It is process-wide, set once by the CLI (--lang, or the locale
 * variables). Format strings keep their compile-time checks through format_arg.
 */
#ifndef PIPEGRADE_I18N_H
#define PIPEGRADE_I18N_H

enum lang { LANG_EN, LANG_ES };

void i18n_set(enum lang lang);
enum lang i18n_get(void);

/* LANG_ES when LANGUAGE, LC_ALL, LC_MESSAGES or LANG (the first one set) starts with "es". */
enum lang i18n_from_env(void);

/* Parses "en" or "es". Returns 0 or -1. */
int i18n_parse(const char *name, enum lang *lang);

const char *i18n_pick(const char *en, const char *es) __attribute__((format_arg(1)))
__attribute__((format_arg(2)));

#define L(en, es) i18n_pick(en, es)

#endif
