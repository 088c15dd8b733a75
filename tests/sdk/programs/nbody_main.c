/* Prints the energy before and after, every body's position, and a few derived values in
 * several printf formats; the output must be identical natively and on the PVM. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nbody.h"

void print_state(const char *label)
{
    printf("%s after %d steps:\n", label, steps_taken);
    for (int i = 0; i < N_BODIES; i++)
        printf("  %-8s x=%+.9f y=%+.9f z=%+.9e |v|=%.6g\n", bodies[i].name, bodies[i].x, bodies[i].y, bodies[i].z,
               sqrt(bodies[i].vx * bodies[i].vx + bodies[i].vy * bodies[i].vy + bodies[i].vz * bodies[i].vz));
}

int main(void)
{
    int n = 1000;
    offset_momentum(bodies, N_BODIES);
    double e0 = energy(bodies, N_BODIES);
    printf("%.9f\n", e0);
    print_state("start");
    for (int i = 0; i < n; i++) advance(bodies, N_BODIES, 0.01);
    double e1 = energy(bodies, N_BODIES);
    printf("%.9f\n", e1);
    print_state("end");
    energy_drift_f = (float)((e1 - e0) / e0);
    float f = energy_drift_f * 1000.0f + 1.5f;
    printf("relative drift %.6e (float %a, %g)\n", (e1 - e0) / e0, (double)energy_drift_f, (double)f);
    double *dist = malloc(N_BODIES * sizeof *dist);
    for (int i = 0; i < N_BODIES; i++)
        dist[i] = hypot(hypot(bodies[i].x, bodies[i].y), bodies[i].z);
    char line[128];
    snprintf(line, sizeof line, "farthest %.3f, angle %.6f rad, log10 %.8f", dist[4], atan2(bodies[4].y, bodies[4].x),
             log10(dist[4]));
    puts(line);
    printf("checksum %lld\n", (long long)llround(fabs(e1) * 1e12) % 1000003);
    free(dist);
    return (int)(strlen(line) % 64);
}
