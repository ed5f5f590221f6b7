// SPDX-License-Identifier: GPL-2.0
/* pinned.bpf.c with maps named reload_a_*: one of the configs a reload test changes side by side. */
#define PREFIX reload_a
#include "pinned.bpf.c"
