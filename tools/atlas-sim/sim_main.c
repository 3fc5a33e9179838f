/* placeholder: the simulator lands with its own commit */
#include <stdio.h>
int main(void) { fputs("atlas-sim: not built yet\n", stderr); return 1; }
