/**
 * YAML to immutable, validated records: the one YAML reader (limits, {@code file:line: path: what} errors with
 * suggestions, unknown keys refused or warned about as {@link dev.ebpfexporter.config.UnknownKeys} says)
 * and the v2 config format. Uses only the JDK and SnakeYAML Engine; every other package may use it.
 */
package dev.ebpfexporter.config;
