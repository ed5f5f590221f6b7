/**
 * Maps pinned on a BPF filesystem ({@code --bpf.pin-path}), so that counts survive a restart, an upgrade or
 * a reload: the directory (checked to be on bpffs, one subdirectory per config, one pin per map),
 * reuse of a pinned map whose definition matches the object's, replacement of one that does not, and
 * removal of the pins of configs no longer loaded. Uses bpf; knows nothing of configs' YAML or metrics.
 */
package dev.ebpfexporter.pin;
