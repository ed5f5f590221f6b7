/**
 * The live web view on {@code /}: the configs and programs rendered on the server, and the data the
 * page's script polls (histograms with their recent history, counters by rate), sampled from the
 * collector's read-only {@link dev.ebpfexporter.collector.ExporterView} only while someone looks. Uses
 * collector, hist (bucket bounds and units), json and http's {@link dev.ebpfexporter.http.Pages}; never bpf.
 */
package dev.ebpfexporter.view;
