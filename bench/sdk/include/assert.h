/* assert.h of the PVM guest SDK: a failed assertion prints "file:line: func: assertion
 * `expr' failed." to stderr (host call pvm_write) and stops the guest with a trap. */
#undef assert
#ifdef NDEBUG
#define assert(expr) ((void)0)
#else
_Noreturn void __pvm_assert_fail(const char *expr, const char *file, int line, const char *func);
#define assert(expr) ((expr) ? (void)0 : __pvm_assert_fail(#expr, __FILE__, __LINE__, __func__))
#endif
#ifndef static_assert
#define static_assert _Static_assert
#endif
