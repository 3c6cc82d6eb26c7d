/* Command-line helpers shared by the subcommands: number parsing, usage
 * errors (one line on stderr, exit 2) and the output mode. */
#ifndef APP_CLI_H
#define APP_CLI_H

#include "sim/sim.h"

#include <stdio.h>

#include <stdint.h>

#define EXIT_USAGE 2
#define TLSSTEP_VERSION "0.1.0"

enum out_mode { OUT_AUTO, OUT_TUI, OUT_PLAIN, OUT_JSON };

/* Prints "tlsstep: <msg>" and returns EXIT_USAGE. */
int app_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int app_parse_u64(const char *s, uint64_t *out);
/* "1.2" -> 12, "1.3" -> 13 (--tls); -1 for anything else. */
int app_parse_tls_version(const char *s, int *out);
/* Resolves OUT_AUTO: the TUI on a terminal whose foreground we are in,
 * plain otherwise. */
enum out_mode app_out_mode_resolve(enum out_mode m);

int cmd_simulate(int argc, char **argv);
int cmd_scenarios(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_compare(int argc, char **argv);
/* Runs the TLS 1.2 and TLS 1.3 scenarios of tlsstep compare with base's
 * seed and clock and writes the comparison (plain text or JSON) to f.
 * 0 when both were established, 1 when one was not, -1 when one could not
 * run (a line on stderr says why). */
int app_compare_write(FILE *f, const sim_options *base, int json);

#endif
