/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lvm2-compatible command line values and options.
 *
 * Value parsers mirror lvm2 2.03 tools/lvmcmdline.c (_size_arg, _extents_arg, int_arg,
 * yes_no_arg, activation_arg): same syntax, same error texts. On failure they return -EINVAL
 * (-ERANGE when the value is too big) and, if ret_err is not NULL, store the lvm2 message
 * (without the "  " indent and without a newline; caller frees). Outputs are written only on
 * success.
 *
 * The option parser (cli_options_parse) takes a table of the options one command accepts and
 * prints lvm2's/glibc's messages ("lvcreate: unrecognized option '--foo'", "  Invalid argument
 * for --size: 10X", "  Error during parsing of command line.") to a FILE *. It is our own
 * small reentrant implementation of getopt_long's GNU behaviour (options and positional
 * arguments may be mixed, "--" ends options, unique prefixes of long options, "-ay" and
 * "--size=1G" forms) so that there is no global parser state and messages go where the caller
 * says. Like lvm2, it ignores '-' inside long option names ("--metadata-profile" ==
 * "--metadataprofile"). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cli_sign {
	CLI_SIGN_NONE = 0,
	CLI_SIGN_PLUS,
	CLI_SIGN_MINUS,
};

enum cli_percent {
	CLI_PERCENT_NONE = 0,
	CLI_PERCENT_VG,     /* %VG, %V */
	CLI_PERCENT_FREE,   /* %FREE, %FR, %F */
	CLI_PERCENT_LV,     /* %LV, %L (lvresize) */
	CLI_PERCENT_PVS,    /* %PVS, %PV, %P */
	CLI_PERCENT_ORIGIN, /* %ORIGIN, %OR, %O */
};

/* "-l" value: a number of extents, or a percentage of something. */
struct cli_extents {
	uint64_t value;           /* extents, or percent when percent != NONE */
	enum cli_percent percent; /* what value is a percentage of */
	enum cli_sign sign;
};

/* Parse an lvm2 size ("10G", "+64M", "1.5t", ".5g", "512K", "4096b", "8s").
 * @default_unit: unit used when there is no suffix, one of "bskmgtpe" (either case): 'm' for
 *   -L/--size/-V, 'k' for -c/--chunksize.
 * Units, as lvm2 for size arguments: k m g t p e (either case) are powers of 1024; b = bytes
 * (must be a multiple of 512, as lvm2 demands); s = 512-byte sectors. An optional "iB"/"B"
 * may follow the unit ("10GiB", "10GB": both 10 GiB, lvm2 ignores what follows the unit
 * character; we accept only these spellings). Fractions are exact (decimal, no floating
 * point) and rounded up to whole sectors; lvm2 itself truncates (it converts a double), which
 * only differs for fractions of a sector. No exponents or hex (lvm2's strtod takes "1e3").
 * Returns 0, -EINVAL (syntax), -ERANGE (>= 16 EiB, lvm2's limit). */
int cli_parse_size(const char *s, char default_unit, uint64_t *ret_sectors, enum cli_sign *ret_sign,
		   char **ret_err);

/* Parse an lvm2 extents value: "N", "+N", "-N", "N%VG", "N%FREE", "N%PVS", "N%ORIGIN",
 * "N%LV" and their abbreviations (case-insensitive, as lvm2 _get_percent_arg).
 * Returns 0, -EINVAL, -ERANGE (percentage >= 2^32-1, lvm2's limit). */
int cli_parse_extents(const char *s, struct cli_extents *ret, char **ret_err);

/* lvm2 yes_no_arg: exactly "y" or "n" (lvm2 rejects "yes"/"no"; so do we). */
int cli_parse_bool(const char *s, bool *ret, char **ret_err);

/* lvm2 int_arg_with_sign: decimal digits with an optional leading + or -, nothing after.
 * *ret_value is the magnitude; allowed signs are the caller's business. -ERANGE above
 * UINT64_MAX. */
int cli_parse_int(const char *s, uint64_t *ret_value, enum cli_sign *ret_sign, char **ret_err);

/* lvm2 activation_arg (-a/--activate, lvchange/vgchange -a). */
enum cli_activation {
	CLI_ACTIVATE_N = 0,   /* n en ne */
	CLI_ACTIVATE_Y,       /* y (and so "-ay", which is "-a y") */
	CLI_ACTIVATE_AUTO,    /* a ay ya: autoactivation (lvm2 CHANGE_AAY) */
	CLI_ACTIVATE_EXCL,    /* e ey ye */
	CLI_ACTIVATE_SHARED,  /* s sy ys */
	CLI_ACTIVATE_LOCAL_Y, /* ly yl */
	CLI_ACTIVATE_LOCAL_N, /* ln nl */
};
int cli_parse_activation(const char *s, enum cli_activation *ret, char **ret_err);

/* --units: one of h H r R b B s S k K m M g G t T p P e E (as lvm2's report units; lvm2 also
 * takes a number prefix like "4k", which we reject). */
int cli_parse_units(const char *s, char *ret_unit, char **ret_err);

/* ---- option tables ---- */

enum cli_opt_type {
	CLI_OPT_FLAG = 0,   /* no argument; count says how often (-v -v) */
	CLI_OPT_STR,        /* any string */
	CLI_OPT_INT,        /* cli_parse_int; .u64, .sign */
	CLI_OPT_BOOL,       /* cli_parse_bool; .b */
	CLI_OPT_SIZE_MB,    /* cli_parse_size, default unit m; .u64 = sectors, .sign */
	CLI_OPT_SIZE_KB,    /* cli_parse_size, default unit k; .u64 = sectors, .sign */
	CLI_OPT_EXTENTS,    /* cli_parse_extents; .extents, .sign */
	CLI_OPT_ACTIVATION, /* cli_parse_activation; .activation */
	CLI_OPT_UNITS,      /* cli_parse_units; .unit */
};

/* Option flags. Signs: by default INT/SIZE/EXTENTS values refuse + and - (lvm2 size_mb_arg,
 * extents_arg, int_arg); allow them per option as lvm2's ssize/psize/nsize/sextents do. */
#define CLI_OPTF_PLUS (1U << 0)  /* "+N" allowed (relative growth) */
#define CLI_OPTF_MINUS (1U << 1) /* "-N" allowed (relative shrink) */
#define CLI_OPTF_SIGNED (CLI_OPTF_PLUS | CLI_OPTF_MINUS)
#define CLI_OPTF_REPEATABLE                                                                        \
	(1U << 2) /* may be given more than once (-v, -o); the last value wins
				       * for typed options, all raw strings are kept in .args */

struct cli_option {
	int id;                /* caller's identifier, e.g. the short letter or an enum */
	char short_name;       /* 0 if none */
	const char *long_name; /* without "--" and without '-' inside; NULL if none */
	enum cli_opt_type type;
	unsigned flags; /* CLI_OPTF_* */
};

struct cli_optval {
	unsigned count;             /* times given; 0 = absent */
	const char *arg;            /* last argument, borrowed from argv; NULL for flags */
	const char **args;          /* every argument in order (count entries), for REPEATABLE */
	enum cli_sign sign;         /* INT, SIZE_*, EXTENTS */
	uint64_t u64;               /* INT: value; SIZE_*: sectors */
	bool b;                     /* BOOL */
	struct cli_extents extents; /* EXTENTS */
	enum cli_activation activation;
	char unit; /* UNITS */
};

struct cli_parsed {
	const struct cli_option *table;
	size_t n_table;
	struct cli_optval *val; /* n_table entries, same order as the table */
	char **pos;             /* positional arguments in order, borrowed from argv */
	int n_pos;
};

/* Parse argv[1..argc-1] against @table (n entries). @cmd is the command name used in the
 * getopt-style messages ("lvcreate: unrecognized option '--foo'"). Messages go to @err, lvm2's
 * value and repetition messages indented by two spaces, and every failure ends with
 * "  Error during parsing of command line.", as lvm2 prints it.
 * Returns CLI_OK (0) and *ret (caller frees with cli_parsed_free), CLI_EINVAL (3) on a bad
 * command line, CLI_FAILED (5) on allocation failure. */
int cli_options_parse(const char *cmd, const struct cli_option *table, size_t n, int argc,
		      char *const *argv, FILE *err, struct cli_parsed **ret);

/* The value slot of option @id (never NULL for an id in the table; NULL for an unknown id). */
const struct cli_optval *cli_opt(const struct cli_parsed *p, int id);
/* Shorthands: was it given; its last string argument (or @def). */
bool cli_opt_isset(const struct cli_parsed *p, int id);
const char *cli_opt_str(const struct cli_parsed *p, int id, const char *def);

struct cli_parsed *cli_parsed_free(struct cli_parsed *p);
