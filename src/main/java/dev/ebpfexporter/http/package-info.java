/**
 * The web server: Jetty, content negotiation, the exporter-toolkit web config (TLS, basic auth, headers,
 * rate limit), landing page, health and {@code /maps} as JSON. Writes what collector and metrics hand it;
 * uses config for its YAML and json for escaping; never touches bpf.
 */
package dev.ebpfexporter.http;
