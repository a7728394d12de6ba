/*
 * check_main.c: runs every suite of pipegrade (see suites.h). The suites are weak symbols so
 * that a partial build (one module and its suite) links and runs too.
 */
#include <stdlib.h>

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

int main(void)
{
	Suite *(*const all[])(void) = {
		util_suite, config_suite, compare_suite, procfs_suite, run_suite, monitor_suite,
		build_suite, archive_suite,
		grade_suite, report_suite, html_suite, sandbox_suite, batch_suite, e2e_suite,
		cli_suite,
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
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
