/**
 * The web server: Jetty, content negotiation, the exporter-toolkit web config (TLS, basic auth, headers,
 * rate limit), landing page, health, {@code /-/reload}, {@code /maps} as JSON and the extra {@link dev.ebpfexporter.http.Pages} of the
 * live view. Writes what collector and metrics hand it;
 * uses config for its YAML and json for escaping; never touches bpf.
 */
package dev.ebpfexporter.http;
