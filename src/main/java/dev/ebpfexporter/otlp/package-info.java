/**
 * Pushes the exporter's metrics over OTLP/HTTP with the OpenTelemetry SDK: the same families a scrape
 * serves, converted to OpenTelemetry metric data (exp2 histograms as exact scale-0 exponential
 * histograms). Uses exposition (the families) and tracing (the default service name); never http, bpf or metrics.
 */
package dev.ebpfexporter.otlp;
