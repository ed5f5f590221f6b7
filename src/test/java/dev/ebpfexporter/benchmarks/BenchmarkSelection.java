package dev.ebpfexporter.benchmarks;

import java.util.Arrays;

/**
 * Which benchmarks {@code -Dbenchmark=a,b} selects (none given, or {@code all}: every one). Used by
 * {@code @EnabledIf} on each benchmark method: an unselected benchmark is simply not run. Benchmarks
 * never run in the normal test suite (tag {@code benchmark}, excluded there), only with -Pbenchmarks.
 */
final class BenchmarkSelection {
    private BenchmarkSelection() {
    }

    static boolean selected(String name) {
        String wanted = System.getProperty("benchmark", "all");
        return wanted.isBlank() || wanted.equals("all") || Arrays.asList(wanted.split(",")).contains(name);
    }

    static boolean scrape() {
        return selected("scrape");
    }

    static boolean http() {
        return selected("http");
    }

    static boolean launcher() {
        return selected("launcher");
    }

    static boolean overhead() {
        return selected("overhead");
    }

    static boolean nativeHistograms() {
        return selected("native");
    }

    static boolean fleet() {
        return selected("fleet");
    }

    static boolean webview() {
        return selected("webview");
    }
}
