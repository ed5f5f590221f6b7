/**
 * Tracing spans from ring buffers, exported over OTLP with the OpenTelemetry SDK. Uses config, decoder and
 * metrics (label decoding); never http.
 */
package dev.ebpfexporter.tracing;
