/**
 * Label decoders, one class each, as pure functions of bytes to text, with a registry by name; kernel lookups
 * (kallsyms, partitions, pci.ids, cgroupfs and where its v2 hierarchy is mounted, interfaces) sit behind small interfaces so tests give fixed data.
 * Uses config only: no BPF, no metrics.
 */
package dev.ebpfexporter.decoder;
