// SPDX-License-Identifier: GPL-2.0
/* pinned.bpf.c with a counter map of 2 entries instead of 1: the same names, another definition. */
#define SWITCH_ENTRIES 2
#include "pinned.bpf.c"
