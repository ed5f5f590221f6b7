/**
 * Which files root may trust: a directory or file the exporter reads programs from (compiled
 * objects, the compile cache, configs) must be writable by root alone, or a less privileged user
 * could choose what root loads into the kernel. {@link dev.ebpfexporter.trust.TrustedPaths} checks
 * the owner and mode of every component of a path without following the last link.
 */
package dev.ebpfexporter.trust;
