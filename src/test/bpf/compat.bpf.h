/* Shared by the compatibility suite's test programs. */
#ifndef COMPAT_BPF_H
#define COMPAT_BPF_H

#ifndef TARGET_PATH
#error "TARGET_PATH (absolute path of compat_target) must be defined by the Makefile"
#endif

#define UPROBE_MARKER "uprobe/" TARGET_PATH ":compat_marker"
#define URETPROBE_MARKER "uretprobe/" TARGET_PATH ":compat_marker"
#define USDT_MARKER "usdt/" TARGET_PATH ":compat:marker"

#endif
