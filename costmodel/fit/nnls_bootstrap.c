/* Standard errors of NNLS coefficients by the residual bootstrap: the design stays fixed
 * (every column keeps the rows that identify it), only the noise is resampled. */
#include <math.h>
#include <stdlib.h>

#include "fit.h"
#include "vm/util/splitmix.h"

int fit_nnls_bootstrap_se(const double *A, size_t m, size_t n, const double *z, const double *residual,
                          unsigned rounds, uint64_t seed, double *se)
{
    if (m == 0 || n == 0 || n > FIT_NNLS_MAX_COLUMNS || rounds < 2) return -1;
    double *fitted = malloc(m * sizeof *fitted), *b = malloc(m * sizeof *b), *scratch = malloc(m * sizeof *scratch);
    double sum[FIT_NNLS_MAX_COLUMNS] = {0}, sum2[FIT_NNLS_MAX_COLUMNS] = {0}, zs[FIT_NNLS_MAX_COLUMNS];
    if (!fitted || !b || !scratch) {
        free(fitted);
        free(b);
        free(scratch);
        return -1;
    }
    for (size_t i = 0; i < m; i++) {
        double acc = 0;
        for (size_t j = 0; j < n; j++) acc += A[i * n + j] * z[j];
        fitted[i] = acc;
    }
    unsigned used = 0;
    for (unsigned r = 0; r < rounds; r++) {
        for (size_t i = 0; i < m; i++) b[i] = fitted[i] + residual[util_splitmix64(&seed) % m];
        if (fit_nnls(A, b, m, n, zs, scratch) != 0) continue; /* an iteration-limit hit is left out */
        used++;
        for (size_t j = 0; j < n; j++) sum[j] += zs[j], sum2[j] += zs[j] * zs[j];
    }
    for (size_t j = 0; j < n; j++) {
        double mean = used ? sum[j] / used : NAN;
        se[j] = used >= 2 ? sqrt(fmax(0, (sum2[j] - used * mean * mean) / (used - 1))) : NAN;
    }
    free(fitted);
    free(b);
    free(scratch);
    return used >= 2 ? 0 : -1;
}
