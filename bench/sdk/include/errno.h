/* errno.h of the PVM guest SDK: one plain global (a PVM guest has a single thread). */
#ifndef PVM_SDK_ERRNO_H
#define PVM_SDK_ERRNO_H
extern int errno;
#define EDOM 33
#define ERANGE 34
#define EINVAL 22
#define ENOMEM 12
#endif
