/* i18n.c: the language in force and its catalog (see i18n.h). */
#include "i18n.h"

#include <libgen.h>
#include <libintl.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

#define DOMAIN "pipegrade"

const char *const i18n_languages[] = { "en", "es", "pt_BR", NULL };

static const char *current = "en";
static int found = 1;
static char localedir[PATH_MAX] = LOCALEDIR;
static char *language_env; /* LANGUAGE as pipegrade found it (NULL: unset) */
static int saved;

/* Incremented to make gettext forget the translations it looked up (glibc, as libintl). */
extern int _nl_msg_cat_cntr;

/* The language pipegrade speaks that a language or locale name means, or NULL. */
static const char *closest(const char *name)
{
	if (!name || !*name)
		return NULL;
	if (!strcmp(name, "C") || !strcmp(name, "POSIX") || !strncmp(name, "C.", 2))
		return "en";
	size_t n = strcspn(name, "_-.@");
	if (n == 2 && !strncasecmp(name, "en", 2))
		return "en";
	if (n == 2 && !strncasecmp(name, "es", 2))
		return "es";
	if (n == 2 && !strncasecmp(name, "pt", 2))
		return "pt_BR"; /* the one Portuguese catalog */
	return NULL;
}

static bool has_catalog(const char *dir, const char *lang)
{
	char path[PATH_MAX + 64];
	struct stat st;
	snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/" DOMAIN ".mo", dir, lang);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* A folder with a catalog of some language. */
static bool has_catalogs(const char *dir)
{
	for (size_t i = 1; i18n_languages[i]; i++)
		if (has_catalog(dir, i18n_languages[i]))
			return true;
	return false;
}

void i18n_init(void)
{
	const char *env = getenv("PIPEGRADE_LOCALEDIR");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (env && *env) {
		snprintf(localedir, sizeof localedir, "%s", env);
	} else if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe);
		char near[PATH_MAX], share[PATH_MAX];
		snprintf(near, sizeof near, "%.*s/locale", PATH_MAX - 16, dir);
		snprintf(share, sizeof share, "%.*s/../share/locale", PATH_MAX - 32, dir);
		if (has_catalogs(near))
			snprintf(localedir, sizeof localedir, "%s", near);
		else if (has_catalogs(share))
			snprintf(localedir, sizeof localedir, "%s", share);
	}
	if (!saved) {
		const char *l = getenv("LANGUAGE");
		language_env = l ? strdup(l) : NULL;
		saved = 1;
	}
	bindtextdomain(DOMAIN, localedir);
	bind_textdomain_codeset(DOMAIN, "UTF-8");
}

int i18n_set(const char *lang)
{
	const char *to = closest(lang);
	if (!to)
		return -1;
	current = to;
	if (!strcmp(to, "en")) {
		found = 1;
		if (language_env) /* what programs pipegrade starts see, as it was */
			setenv("LANGUAGE", language_env, 1);
		else
			unsetenv("LANGUAGE");
		return 0;
	}
	/* glibc reads LANGUAGE unless LC_MESSAGES is "C": C.UTF-8 changes nothing else */
	setenv("LANGUAGE", to, 1);
	bool locale = setlocale(LC_MESSAGES, "C.UTF-8") || setlocale(LC_MESSAGES, "C.utf8");
	++_nl_msg_cat_cntr;
	found = locale && has_catalog(localedir, to);
	return 0;
}

const char *i18n_get(void)
{
	return current;
}

int i18n_catalog_found(void)
{
	return found;
}

const char *i18n_localedir(void)
{
	return localedir;
}

const char *i18n_from_env(void)
{
	const char *list = getenv("LANGUAGE");
	if (list && *list) {
		char copy[256], *save = NULL;
		snprintf(copy, sizeof copy, "%s", list);
		for (char *e = strtok_r(copy, ":", &save); e; e = strtok_r(NULL, ":", &save))
			if (closest(e))
				return closest(e);
	}
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return closest(v) ? closest(v) : "en";
	}
	return "en";
}

const char *i18n_text(const char *msgid)
{
	return !strcmp(current, "en") ? msgid : dgettext(DOMAIN, msgid);
}

const char *i18n_plural(const char *one, const char *many, unsigned long n)
{
	if (!strcmp(current, "en"))
		return n == 1 ? one : many;
	return dngettext(DOMAIN, one, many, n);
}

const char *i18n_context(const char *context, const char *msgid)
{
	if (!strcmp(current, "en"))
		return msgid;
	char key[512];
	int len = snprintf(key, sizeof key, "%s\004%s", context, msgid);
	if (len < 0 || (size_t)len >= sizeof key)
		return msgid;
	const char *t = dgettext(DOMAIN, key);
	return t == key ? msgid : t;
}
