/* Non-negative least squares by Lawson and Hanson's active-set method ("Solving Least
 * Squares Problems", 1974, ch. 23). Sizes are small (a handful of columns: the cost
 * terms of one mixed block), so the unconstrained subproblems are solved through the
 * normal equations with Gaussian elimination and partial pivoting. */
#include <math.h>
#include <string.h>

#include "fit.h"

enum { N = FIT_NNLS_MAX_COLUMNS };

/* Least squares on the columns in `passive`: solves (A_P^T A_P) s_P = A_P^T b; other
 * entries of s are 0. Returns -1 when the system is singular. */
static int solve_passive(const double *A, const double *b, size_t m, size_t n, const bool *passive, double *s)
{
    size_t idx[N], k = 0;
    for (size_t j = 0; j < n; j++)
        if (passive[j]) idx[k++] = j;
    double M[N][N + 1];
    for (size_t r = 0; r < k; r++) {
        for (size_t c = 0; c < k; c++) {
            double acc = 0;
            for (size_t i = 0; i < m; i++) acc += A[i * n + idx[r]] * A[i * n + idx[c]];
            M[r][c] = acc;
        }
        double acc = 0;
        for (size_t i = 0; i < m; i++) acc += A[i * n + idx[r]] * b[i];
        M[r][k] = acc;
    }
    for (size_t c = 0; c < k; c++) {
        size_t pivot = c;
        for (size_t r = c + 1; r < k; r++)
            if (fabs(M[r][c]) > fabs(M[pivot][c])) pivot = r;
        if (fabs(M[pivot][c]) < 1e-300) return -1;
        if (pivot != c)
            for (size_t j = 0; j <= k; j++) {
                double t = M[c][j];
                M[c][j] = M[pivot][j];
                M[pivot][j] = t;
            }
        for (size_t r = c + 1; r < k; r++) {
            double f = M[r][c] / M[c][c];
            for (size_t j = c; j <= k; j++) M[r][j] -= f * M[c][j];
        }
    }
    memset(s, 0, n * sizeof *s);
    for (size_t c = k; c-- > 0;) {
        double acc = M[c][k];
        for (size_t j = c + 1; j < k; j++) acc -= M[c][j] * s[idx[j]];
        s[idx[c]] = acc / M[c][c];
    }
    return 0;
}

/* w = A^T (b - A z): the negative gradient of |Az - b|^2 / 2. */
static void gradient(const double *A, const double *b, size_t m, size_t n, const double *z, double *w,
                     double *residual)
{
    for (size_t i = 0; i < m; i++) {
        double acc = b[i];
        for (size_t j = 0; j < n; j++) acc -= A[i * n + j] * z[j];
        residual[i] = acc;
    }
    for (size_t j = 0; j < n; j++) {
        double acc = 0;
        for (size_t i = 0; i < m; i++) acc += A[i * n + j] * residual[i];
        w[j] = acc;
    }
}

int fit_nnls(const double *A, const double *b, size_t m, size_t n, double *z, double *residual)
{
    if (n == 0 || n > N || m == 0) return -1;
    bool passive[N] = {false};
    double w[N], s[N], r_local[256];
    double *r = residual ? residual : (m <= 256 ? r_local : NULL);
    if (!r) return -1;
    memset(z, 0, n * sizeof *z);
    double scale = 0;
    for (size_t i = 0; i < m * n; i++) scale = fmax(scale, fabs(A[i]));
    for (size_t i = 0; i < m; i++) scale = fmax(scale, fabs(b[i]));
    const double tol = 1e-12 * (scale > 0 ? scale * scale : 1) * (double)m;
    int outer = 0;
    for (;;) {
        gradient(A, b, m, n, z, w, r);
        size_t best = n;
        for (size_t j = 0; j < n; j++)
            if (!passive[j] && w[j] > tol && (best == n || w[j] > w[best])) best = j;
        if (best == n) return 0; /* Kuhn-Tucker conditions hold */
        if (++outer > 3 * (int)n + 10) return -1;
        passive[best] = true;
        for (int inner = 0;; inner++) {
            if (inner > 3 * (int)n + 10) return -1;
            if (solve_passive(A, b, m, n, passive, s) != 0) {
                passive[best] = false; /* dependent column: leave it at zero */
                gradient(A, b, m, n, z, w, r);
                return 0;
            }
            bool feasible = true;
            for (size_t j = 0; j < n; j++)
                if (passive[j] && s[j] <= 0) feasible = false;
            if (feasible) {
                memcpy(z, s, n * sizeof *z);
                break;
            }
            /* Step from z toward s as far as feasibility allows; drop the columns that hit 0. */
            double alpha = 1;
            for (size_t j = 0; j < n; j++)
                if (passive[j] && s[j] <= 0) {
                    double a = z[j] / (z[j] - s[j]);
                    if (a < alpha) alpha = a;
                }
            for (size_t j = 0; j < n; j++) {
                z[j] += alpha * (s[j] - z[j]);
                if (passive[j] && z[j] <= 1e-15 * (1 + fabs(s[j]))) {
                    passive[j] = false;
                    z[j] = 0;
                }
            }
        }
    }
}
