/* Private to the csoundpp library: see exit_guard.c. */
#pragma once
#include <csound/csound.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*csoundpp_guarded_fn)(CSOUND *cs, const void *arg);

/* Runs fn(cs, arg) with CSOUND::exitjmp armed. Returns fn's result, or
 * CSOUND_ERROR with *jumped = 1 when libcsound longjmp'ed out of it. */
int csoundpp_guarded_call(CSOUND *cs, csoundpp_guarded_fn fn, const void *arg, int *jumped);

/* 1 when the guard arms CSOUND::exitjmp (always on Csound 6; on Csound 7 when its place in the
 * installed libcsound was established, see exit_guard.c), 0 when calls are made unguarded. */
int csoundpp_exit_guard_armed(void);

struct csoundpp_eval_io {
  const char *code;
  double value;
};

int csoundpp_call_compile_csd(CSOUND *cs, const void *path);
int csoundpp_call_compile_csd_text(CSOUND *cs, const void *text);
int csoundpp_call_compile_orc(CSOUND *cs, const void *text);
int csoundpp_call_compile_orc_async(CSOUND *cs, const void *text);
int csoundpp_call_read_score(CSOUND *cs, const void *text);
int csoundpp_call_set_option(CSOUND *cs, const void *opt);
int csoundpp_call_start(CSOUND *cs, const void *unused);
int csoundpp_call_compile_args(CSOUND *cs, const void *argv); /* NULL-terminated argv */
int csoundpp_call_compile(CSOUND *cs, const void *argv);      /* NULL-terminated argv */
int csoundpp_call_eval_code(CSOUND *cs, const void *io);      /* struct csoundpp_eval_io* */
int csoundpp_call_compile_tree(CSOUND *cs, const void *tree);       /* TREE* */
int csoundpp_call_compile_tree_async(CSOUND *cs, const void *tree); /* TREE* */

struct csoundpp_parse_io {
  const char *code;
  void *tree; /* TREE* (declared in csound.h on Csound 6, csound_compiler.h on 7) */
};
/* csoundParseOrc with the exit buffer armed: the TREE*, or NULL (with *jumped = 1 when it
 * longjmp'ed). */
void *csoundpp_guarded_parse(CSOUND *cs, const char *code, int *jumped);

#ifdef __cplusplus
}
#endif
