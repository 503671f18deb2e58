/*
 * lsan.h - LeakSanitizer settings for the sanitised builds of the binary
 * and of the tests; include it in exactly one file of each program.
 *
 * libxlsxwriter 1.1.4 copies the formula of a list validation twice and
 * frees one copy (worksheet_data_validation_range): some twenty bytes per
 * drop-down, once per template.  Not ours to fix; LeakSanitizer is told to
 * ignore strings that library duplicated.
 */
#ifndef ZX_LSAN_H
#define ZX_LSAN_H

#ifdef __SANITIZE_ADDRESS__
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:lxw_strdup\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif

#endif
