/* The smallest pvm-cc program: printf, a double, an exit status. */
#include <stdio.h>

int main(void)
{
    printf("hello %d %.3f\n", 42, 2.0 / 3);
    return 7;
}
