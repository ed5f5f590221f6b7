/**
 * {@code cgroup_id_map}: keeps a BPF map filled with the ids of the cgroups whose paths match the configured
 * regexps, following cgroupfs through inotify and rescans. Uses bpf (the map), config and decoder's cgroup walk and root finder.
 */
package dev.ebpfexporter.cgroup;
