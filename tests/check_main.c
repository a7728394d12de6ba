/*
 * check_main.c: runs every suite of pipegrade (see suites.h). The suites are weak symbols so
 * that a partial build (one module and its suite) links and runs too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"

#pragma weak util_suite
#pragma weak config_suite
#pragma weak compare_suite
#pragma weak run_suite
#pragma weak procfs_suite
#pragma weak monitor_suite
#pragma weak sandbox_suite
#pragma weak batch_suite
#pragma weak build_suite
#pragma weak grade_suite
#pragma weak report_suite
#pragma weak html_suite
#pragma weak e2e_suite
#pragma weak cli_suite
#pragma weak archive_suite
#pragma weak sandbox_parts_suite
#pragma weak sandbox_user_suite
#pragma weak class_hostile_suite

int main(void)
{
	Suite *(*const all[])(void) = {
		util_suite, config_suite, compare_suite, procfs_suite, run_suite, monitor_suite,
		build_suite, archive_suite,
		grade_suite, report_suite, html_suite, sandbox_parts_suite, sandbox_suite,
		sandbox_user_suite, batch_suite, class_hostile_suite, e2e_suite, cli_suite,
	};
	SRunner *sr = NULL;
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		if (!all[i])
			continue;
		if (!sr)
			sr = srunner_create(all[i]());
		else
			srunner_add_suite(sr, all[i]());
	}
	if (!sr)
		return EXIT_FAILURE;
	/* Tests that cannot run here log themselves (tu_skip): they are reported apart, never
	 * as passed. */
	char log[] = "/tmp/pipegrade-skips.XXXXXX";
	int fd = mkstemp(log);
	if (fd >= 0)
		setenv("PIPEGRADE_SKIP_LOG", log, 1);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr), run = srunner_ntests_run(sr), skipped = 0;
	srunner_free(sr);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	char line[1024];
	while (f && fgets(line, sizeof line, f))
		fprintf(stderr, "%s  skipped: %s", skipped++ ? "" : "\n", line);
	if (f)
		fclose(f);
	if (fd >= 0)
		unlink(log);
	fprintf(stderr, "%d checks: %d passed, %d failed, %d skipped (not run here, see above)\n",
		run, run - failed - skipped, failed, skipped);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
