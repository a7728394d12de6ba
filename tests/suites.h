/*
 * suites.h: every Check suite of pipegrade, one per module plus the end-to-end ones.
 * check_main.c runs them all; CK_RUN_SUITE=name runs one (Check's own variable).
 */
#ifndef PIPEGRADE_TEST_SUITES_H
#define PIPEGRADE_TEST_SUITES_H

#include <check.h>

Suite *util_suite(void);
Suite *config_suite(void);
Suite *compare_suite(void);
Suite *run_suite(void);
Suite *procfs_suite(void);
Suite *monitor_suite(void);
Suite *sched_suite(void);
Suite *sandbox_suite(void);
Suite *batch_suite(void);
Suite *build_suite(void);
Suite *grade_suite(void);
Suite *report_suite(void);
Suite *html_suite(void);
Suite *e2e_suite(void);
Suite *cli_suite(void);
Suite *archive_suite(void);
Suite *sandbox_parts_suite(void);
Suite *sandbox_user_suite(void);
Suite *class_hostile_suite(void);
Suite *report_ci_suite(void);
Suite *kit_suite(void);
Suite *shell_env_suite(void);
Suite *student_suite(void);
Suite *lang_suite(void);

#endif
