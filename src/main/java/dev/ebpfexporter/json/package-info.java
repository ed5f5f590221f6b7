/**
 * JSON string escaping for the little JSON written by hand ({@code /maps}, JSON and logfmt log lines).
 * Uses only the JDK, so that http and cli can both use it.
 */
package dev.ebpfexporter.json;
