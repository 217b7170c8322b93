/*
 * cli.h - what every denai-* program shares: its name in messages, one-line
 * errors on stderr, sysexits exit codes, and environment look-ups
 * (flag, then environment, then default). Only cmd/ uses this; lib/ never
 * prints or reads the environment.
 */
#ifndef DENAI_CLI_H
#define DENAI_CLI_H

#include <sysexits.h>

#include "err.h"

/* Sets the name used in messages ("denai-fetch"); call first in main(). */
void cli_init(const char *progname);
const char *cli_progname(void);

/* "denai-x: message\n" on stderr. */
void cli_warn(const char *fmt, ...) DENAI_PRINTF(1, 2);
/* cli_warn, then exit(status). */
_Noreturn void cli_die(int status, const char *fmt, ...) DENAI_PRINTF(2, 3);
/* Prints err's message and exits with its sysexits status. */
_Noreturn void cli_die_err(const denai_err *err);

/* Returns: flag if not NULL, else the environment variable if set and
 * non-empty, else def. */
const char *cli_setting(const char *flag, const char *env, const char *def);

/* Writes DenAI's state folder into dir (n bytes): $XDG_STATE_HOME/denai,
 * else $HOME/.local/state/denai. It is not created here. */
void cli_state_root(char *dir, size_t n);

/* Parses a non-negative decimal integer option or dies with EX_USAGE,
 * naming the option. */
unsigned long long cli_parse_count(const char *opt, const char *s);

#endif
