/* Pinning the calibrating thread to one core. */
#ifndef PVMLAB_CAL_PIN_CPU_H
#define PVMLAB_CAL_PIN_CPU_H

#include <stddef.h>

/* Pins the calling thread to the highest-numbered CPU it may run on (CPU 0 takes most
 * interrupts). Returns the CPU, or -1 with the reason in why. */
int pin_to_cpu(char *why, size_t why_len);

#endif
