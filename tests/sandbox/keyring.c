/*
 * keyring.c: tries to leave a key for a later case, and to read one. Safe to run.
 *
 * Adds the key "pipegrade-left" (user type) to the user keyring and to the session keyring,
 * asks for it back with request_key, and asks keyctl for the user keyring's id. Prints one line
 * each, "WHAT: ok" or "WHAT: denied (strerror)". Exits 0.
 *
 * Keys outlive a case in the uid's keyrings (a later case with the same uid would read them).
 * Inside the sandbox every line is "denied (Operation not permitted)": the filter refuses
 * add_key, request_key and keyctl.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_USER_KEYRING -4
#define KEY_SPEC_SESSION_KEYRING -3
#define KEYCTL_GET_KEYRING_ID 0

static void report(const char *what, long rc)
{
	if (rc >= 0)
		printf("%s: ok\n", what);
	else
		printf("%s: denied (%s)\n", what, strerror(errno));
}

int main(void)
{
	report("add_key user", syscall(SYS_add_key, "user", "pipegrade-left", "secret", 6,
				       KEY_SPEC_USER_KEYRING));
	report("add_key session", syscall(SYS_add_key, "user", "pipegrade-left", "secret", 6,
					  KEY_SPEC_SESSION_KEYRING));
	report("request_key", syscall(SYS_request_key, "user", "pipegrade-left", NULL,
				      KEY_SPEC_USER_KEYRING));
	report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
	return 0;
}
