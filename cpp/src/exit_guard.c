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
 * are private types). libcsound 7 arms it itself in most entry points that can reach
 * csoundDie (csoundCompile, csoundCompileCSD, csoundCompileOrc, csoundSetOption, csoundStart,
 * csoundPerformKsmps), but not in csoundEventString's score reader nor in csoundParseOrc,
 * where a preprocessor error (a missing #include, a bad #define, an unknown $macro, ...) jumps
 * to a stale buffer: the process crashes. So on Csound 7 the guard finds the buffer too, by
 * two independent readings of the installed library's code (x86-64 only):
 *   - csoundPerformKsmps arms it: `lea OFFSET(%reg),%rdi; call _setjmp` gives OFFSET;
 *   - csoundGetCurrentTimeSamples reads icurTimeSamples (`mov OFFSET(%rdi),%rax; ret`), and in
 *     Csound 7.0's CSOUND (csoundCore.h) exitjmp follows it after the public-typed timing fields
 *     of struct cs7_timing_tail below.
 * Only when both agree is the buffer armed; otherwise (another architecture or layout) the
 * guard makes the call directly, as before, and never reports a jump.
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
#include <stddef.h>
#include <stdint.h>

/* Csound 7.0's CSOUND from icurTimeSamples to exitjmp (csoundCore.h; cs_float is double). */
struct cs7_timing_tail {
  int64_t icurTimeSamples;
  double curTime_inc, timeOffs, beatOffs, curBeat, curBeat_inc;
  int64_t ibeatTime;
  double prvbt, curbt, nxtbt, curp2, nxtim;
  int64_t cyclesRemaining, advanceCnt;
  int32_t sampsNeeded, initonly;
  double cpu_power_busy;
  jmp_buf exitjmp;
};

#if defined(__x86_64__)
static long read_i32(const unsigned char *p) {
  int32_t v;
  memcpy(&v, p, sizeof v);
  return (long)v;
}

static const unsigned char *skip_endbr64(const unsigned char *p) {
  static const unsigned char endbr64[4] = {0xf3, 0x0f, 0x1e, 0xfa};
  return memcmp(p, endbr64, 4) == 0 ? p + 4 : p;
}

/* icurTimeSamples' offset, read from csoundGetCurrentTimeSamples; -1 if its code is not the
 * expected load-and-return. */
static long icur_offset(void) {
  const unsigned char *p = skip_endbr64((const unsigned char *)(uintptr_t)&csoundGetCurrentTimeSamples);
  if (p[0] == 0x48 && p[1] == 0x8b && p[2] == 0x87 && p[7] == 0xc3) return read_i32(p + 3);
  if (p[0] == 0x48 && p[1] == 0x8b && p[2] == 0x47 && p[4] == 0xc3) return (long)(signed char)p[3];
  return -1;
}

/* The offsets csoundPerformKsmps passes to a call as `lea OFFSET(%reg),%rdi; call`: the one
 * equal to `want` (its setjmp on exitjmp), or -1. */
static long perform_ksmps_setjmp_offset(long want) {
  const unsigned char *p = (const unsigned char *)(uintptr_t)&csoundPerformKsmps;
  for (int i = 0; i < 2048; ++i) {
    const unsigned char *q = p + i;
    /* REX.W (48, or 49 for r8-r15 bases), 8d, ModRM mod=10 reg=rdi(111) rm!=rsp */
    if ((q[0] == 0x48 || q[0] == 0x49) && q[1] == 0x8d && (q[2] & 0xf8) == 0xb8 && (q[2] & 7) != 4 &&
        q[7] == 0xe8 && read_i32(q + 3) == want)
      return want;
  }
  return -1;
}
#endif

/* exitjmp's offset in CSOUND, or -1 when it cannot be established (computed once). */
static long exitjmp_offset(void) {
  static long offset = -2;
  if (offset == -2) {
    long found = -1;
#if defined(__x86_64__)
    long icur = icur_offset();
    if (icur > 0) found = perform_ksmps_setjmp_offset(icur + (long)offsetof(struct cs7_timing_tail, exitjmp));
#endif
    offset = found;
  }
  return offset;
}

int csoundpp_exit_guard_armed(void) { return exitjmp_offset() > 0; }

static jmp_buf *exit_buffer(CSOUND *cs) {
  long off = exitjmp_offset();
  return off > 0 ? (jmp_buf *)((char *)cs + off) : NULL;
}

int csoundpp_guarded_call(CSOUND *cs, csoundpp_guarded_fn fn, const void *arg, int *jumped) {
  jmp_buf *jb = exit_buffer(cs);
  jmp_buf saved;
  volatile int result = CSOUND_ERROR;
  *jumped = 0;
  if (!jb) return fn(cs, arg);
  memcpy(&saved, jb, sizeof(jmp_buf));
  if (setjmp(*jb) == 0) {
    result = fn(cs, arg);
  } else {
    *jumped = 1;
    result = CSOUND_ERROR;
  }
  memcpy(jb, &saved, sizeof(jmp_buf));
  return result;
}
#else
int csoundpp_exit_guard_armed(void) { return 1; }

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
