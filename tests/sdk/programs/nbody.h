/* n-body: the planets of the solar system under Newtonian gravity (symplectic Euler steps),
 * split over several files as a real program is: the bodies are extern data defined in
 * nbody_bodies.c and used by nbody_physics.c and nbody_main.c. */
#ifndef NBODY_H
#define NBODY_H

#define N_BODIES 5
#define SOLAR_MASS (4 * 3.141592653589793 * 3.141592653589793)
#define DAYS_PER_YEAR 365.24

struct body {
    double x, y, z, vx, vy, vz, mass;
    const char *name;
};

extern struct body bodies[N_BODIES];
extern int steps_taken;
extern float energy_drift_f; /* single precision too: the float soft-float routines */

void offset_momentum(struct body *b, int n);
double energy(const struct body *b, int n);
void advance(struct body *b, int n, double dt);
void print_state(const char *label);

#endif
