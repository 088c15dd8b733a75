/* Duration formatting (see duration_format.h). */
#include <stdio.h>

#include "duration_format.h"

void bench_format_duration(double ns, char *out, size_t out_len)
{
    /* Each unit is used up to the value that three significant digits round to 1000. */
    if (ns < 999.5)
        snprintf(out, out_len, "%.0f ns", ns);
    else if (ns < 999.5e3)
        snprintf(out, out_len, "%.3g us", ns / 1e3);
    else if (ns < 999.5e6)
        snprintf(out, out_len, "%.3g ms", ns / 1e6);
    else
        snprintf(out, out_len, "%.3g s", ns / 1e9);
}
