/**
 * Loaded configs: reads config files (v2 or inline), loads and attaches their objects, binds metrics to maps,
 * runs event pumps, counts their lost events, reloads (a new generation of configs swapped in beside what runs; see
 * {@link dev.ebpfexporter.collector.Exporter#reload}), answers scrapes, the maps view and
 * the read-only {@link dev.ebpfexporter.collector.ExporterView} of the web view. Uses bpf, config, metrics, decoder, cgroup, bcc and
 * tracing, and pin for {@code --bpf.pin-path}; never http.
 */
package dev.ebpfexporter.collector;
