package dev.ebpfexporter.http;

import java.util.List;

/** The HTML of {@code /}: what this exporter is, where its metrics are, and each config's state. */
public final class LandingPage {
    /** One config's line on the page. */
    public record ConfigSummary(String name, int programsAttached, int programs, int metrics) {
    }

    /** A config that failed to load (served around under {@code --config.allow-failures}). */
    public record Failure(String name, String reason) {
    }

    private LandingPage() {
    }

    public static String render(String version, String telemetryPath, List<ConfigSummary> configs) {
        return render(version, telemetryPath, configs, List.of());
    }

    public static String render(String version, String telemetryPath, List<ConfigSummary> configs,
                                List<Failure> failures) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>ebpf-exporter</title>")
                .append("<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .8em;text-align:left}</style>")
                .append("</head><body>\n<h1>ebpf-exporter</h1>\n<p>Prometheus exporter for eBPF programs, version ")
                .append(escape(version)).append(".</p>\n<ul>\n<li><a href=\"").append(escape(telemetryPath))
                .append("\">Metrics</a></li>\n<li><a href=\"/-/healthy\">Health</a></li>\n")
                .append("<li><a href=\"/-/ready\">Readiness</a></li>\n</ul>\n<h2>Configs</h2>\n")
                .append("<table><tr><th>config</th><th>programs attached</th><th>metrics</th></tr>\n");
        for (ConfigSummary config : configs) {
            html.append("<tr><td>").append(escape(config.name())).append("</td><td>").append(config.programsAttached())
                    .append(" / ").append(config.programs()).append("</td><td>").append(config.metrics()).append("</td></tr>\n");
        }
        html.append("</table>\n");
        if (!failures.isEmpty()) {
            html.append("<h2>Failed configs</h2>\n<table><tr><th>config</th><th>reason</th></tr>\n");
            for (Failure failure : failures) {
                html.append("<tr><td>").append(escape(failure.name())).append("</td><td>").append(escape(failure.reason()))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
