/* Entry point for the stand-in programs, linked with -nostartfiles: calls main and exits, so
   the program needs no glibc symbol newer than CentOS 7's (they are never run). */
#include <stdlib.h>
int main(int argc, char **argv);
void _start(void) { exit(main(0, 0)); }
