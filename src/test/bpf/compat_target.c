// A process the tests run to fire uprobes, uretprobes and a USDT probe a known number of times:
//   compat_target N   calls compat_marker(1..N), each also hitting the USDT probe compat:marker.
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>

__attribute__((noinline)) unsigned long compat_marker(unsigned long value)
{
    DTRACE_PROBE1(compat, marker, value);
    __asm__ volatile("" ::: "memory");
    return value * 2;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
    unsigned long sum = 0;
    for (unsigned long i = 1; i <= n; i++) {
        sum += compat_marker(i);
    }
    printf("%lu\n", sum);
    return 0;
}
