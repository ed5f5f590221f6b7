/**
 * Loaded configs: reads config files (v2 or inline), loads and attaches their objects, binds metrics to maps,
 * runs event pumps, answers scrapes, the maps view and
 * the read-only {@link dev.ebpfexporter.collector.ExporterView} of the web view. Uses bpf, config, metrics, decoder, cgroup, bcc and
 * tracing; never http.
 */
package dev.ebpfexporter.collector;
