/**
 * From map entries to client_java snapshots: key layout, label decoding cached by raw key bytes, counters,
 * histogram assembly, series limits (with the optional overflow series), expiry of idle keys ({@code expire_after}) and built-in metrics. Uses bpf (map entries), config, decoder and
 * client_java's model; never http or collector.
 */
package dev.ebpfexporter.metrics;
