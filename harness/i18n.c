/* i18n.c: English or Spanish (see i18n.h). */
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

static enum lang current = LANG_EN;

void i18n_set(enum lang lang)
{
	current = lang;
}

enum lang i18n_get(void)
{
	return current;
}

enum lang i18n_from_env(void)
{
	static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "es", 2) == 0 ? LANG_ES : LANG_EN;
	}
	return LANG_EN;
}

int i18n_parse(const char *name, enum lang *lang)
{
	if (!strcmp(name, "en"))
		*lang = LANG_EN;
	else if (!strcmp(name, "es"))
		*lang = LANG_ES;
	else
		return -1;
	return 0;
}

const char *i18n_pick(const char *en, const char *es)
{
	return current == LANG_ES ? es : en;
}
