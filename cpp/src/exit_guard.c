/* Guards libcsound calls that may longjmp to CSOUND::exitjmp.
 *
 * Csound 6: some libcsound entry points (csoundCompileCsd/Text, csoundSetOption, ...)
 * report fatal argument errors through csoundDie(), which longjmps to the
 * instance's exitjmp buffer. Only csoundCompile/csoundPerformKsmps arm that
 * buffer themselves, so a bad <CsOptions> line crashes a host that called
 * csoundCompileCsdText (seen with Debian's 6.18). We arm it here, in C (no C++
 * frames between setjmp and longjmp), and turn the jump into CSOUND_ERROR.
 *
 * The buffer is not part of the public API. Its address is found from a public
 * one: csoundGetRtPlayUserData() returns &csound->rtPlay_userdata, and in the
 * CSOUND struct of Csound 6 (csoundCore.h) `jmp_buf exitjmp` directly follows
 * that pointer. tests/test_csound.py::test_bad_csoptions_do_not_crash checks
 * the guard against the installed library.
 *
 * Csound 7: exitjmp moved (it no longer follows rtPlay_userdata; the fields in between
 * are private types), and libcsound 7 arms it itself in every entry point that can reach
 * csoundDie: csoundCompile, csoundCompileCSD, csoundCompileOrc, csoundSetOption,
 * csoundStart, csoundEventString and csoundPerformKsmps each call setjmp on it (checked
 * against libcsound64 7.0 by disassembly; the same test above checks that a fatal
 * <CsOptions> error returns CSOUND_ERROR). So on Csound 7 the guard makes the call
 * directly and never reports a jump: the library has already turned it into an error code.
 */
#include <setjmp.h>
#include <string.h>

#include <csound/csound.h>
#include <csound/version.h>
#if CS_VERSION >= 7
#include <csound/csound_compiler.h> /* csoundParseOrc */
#endif

#include "exit_guard.h"
#if CS_VERSION >= 7
#include <csound/csound_compiler.h>
#endif

#if CS_VERSION >= 7
int csoundpp_guarded_call(CSOUND *cs, csoundpp_guarded_fn fn, const void *arg, int *jumped) {
  *jumped = 0;
  return fn(cs, arg);
}
#else
static jmp_buf *exit_buffer(CSOUND *cs) {
  return (jmp_buf *)((char *)csoundGetRtPlayUserData(cs) + sizeof(void *));
}

int csoundpp_guarded_call(CSOUND *cs, csoundpp_guarded_fn fn, const void *arg, int *jumped) {
  jmp_buf *jb = exit_buffer(cs);
  jmp_buf saved;
  volatile int result = CSOUND_ERROR;
  memcpy(&saved, jb, sizeof(jmp_buf));
  *jumped = 0;
  if (setjmp(*jb) == 0) {
    result = fn(cs, arg);
  } else {
    *jumped = 1;
    result = CSOUND_ERROR;
  }
  memcpy(jb, &saved, sizeof(jmp_buf));
  return result;
}
#endif

#if CS_VERSION >= 7
int csoundpp_call_compile_csd(CSOUND *cs, const void *path) { return csoundCompileCSD(cs, (const char *)path, 0, 0); }
int csoundpp_call_compile_csd_text(CSOUND *cs, const void *text) { return csoundCompileCSD(cs, (const char *)text, 1, 0); }
int csoundpp_call_compile_orc(CSOUND *cs, const void *text) { return csoundCompileOrc(cs, (const char *)text, 0); }
int csoundpp_call_compile_orc_async(CSOUND *cs, const void *text) { return csoundCompileOrc(cs, (const char *)text, 1); }
int csoundpp_call_read_score(CSOUND *cs, const void *text) {
  csoundEventString(cs, (const char *)text, 0);
  return 0;
}
#else
int csoundpp_call_compile_csd(CSOUND *cs, const void *path) { return csoundCompileCsd(cs, (const char *)path); }
int csoundpp_call_compile_csd_text(CSOUND *cs, const void *text) { return csoundCompileCsdText(cs, (const char *)text); }
int csoundpp_call_compile_orc(CSOUND *cs, const void *text) { return csoundCompileOrc(cs, (const char *)text); }
int csoundpp_call_compile_orc_async(CSOUND *cs, const void *text) { return csoundCompileOrcAsync(cs, (const char *)text); }
int csoundpp_call_read_score(CSOUND *cs, const void *text) { return csoundReadScore(cs, (const char *)text); }
#endif
int csoundpp_call_set_option(CSOUND *cs, const void *opt) { return csoundSetOption(cs, (const char *)opt); }
int csoundpp_call_start(CSOUND *cs, const void *unused) {
  (void)unused;
  return csoundStart(cs);
}
int csoundpp_call_compile_args(CSOUND *cs, const void *argv) {
  const char *const *a = (const char *const *)argv;
  int n = 0;
  while (a[n]) ++n;
#if CS_VERSION >= 7
  return csoundCompile(cs, n, (const char **)a); /* Csound 7's csoundCompile does not start */
#else
  return csoundCompileArgs(cs, n, (const char **)a);
#endif
}
int csoundpp_call_compile(CSOUND *cs, const void *argv) {
  const char *const *a = (const char *const *)argv;
  int n = 0;
  while (a[n]) ++n;
  return csoundCompile(cs, n, (const char **)a);
}
int csoundpp_call_eval_code(CSOUND *cs, const void *io) {
  struct csoundpp_eval_io *p = (struct csoundpp_eval_io *)io;
  p->value = csoundEvalCode(cs, p->code);
  return 0;
}

static int call_parse(CSOUND *cs, const void *io) {
  struct csoundpp_parse_io *p = (struct csoundpp_parse_io *)io;
  p->tree = csoundParseOrc(cs, p->code);
  return p->tree ? 0 : CSOUND_ERROR;
}

void *csoundpp_guarded_parse(CSOUND *cs, const char *code, int *jumped) {
  struct csoundpp_parse_io io = {code, NULL};
  csoundpp_guarded_call(cs, call_parse, &io, jumped);
  return *jumped ? NULL : io.tree;
}

#if CS_VERSION >= 7
int csoundpp_call_compile_tree(CSOUND *cs, const void *tree) { return csoundCompileTree(cs, (TREE *)tree, 0); }
int csoundpp_call_compile_tree_async(CSOUND *cs, const void *tree) { return csoundCompileTree(cs, (TREE *)tree, 1); }
#else
int csoundpp_call_compile_tree(CSOUND *cs, const void *tree) { return csoundCompileTree(cs, (TREE *)tree); }
int csoundpp_call_compile_tree_async(CSOUND *cs, const void *tree) { return csoundCompileTreeAsync(cs, (TREE *)tree); }
#endif
