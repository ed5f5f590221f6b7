package dev.ebpfexporter.view;

import dev.ebpfexporter.collector.Exporter;
import dev.ebpfexporter.collector.ExporterView;
import dev.ebpfexporter.collector.ReloadStatus;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTML of {@code /}, rendered on the server so that it works without JavaScript: links, every
 * config with its programs (attached or why not, run count and run time), maps (with the events lost
 * by each perf or ring buffer that has a count) and the metrics the series limit cuts, and the configs
 * that failed. The script then fills in histograms and counters and keeps the numbers live.
 */
final class ViewPage {
    private ViewPage() {
    }

    static String render(String version, String telemetryPath, List<ExporterView.Config> configs,
                         List<Exporter.ConfigFailure> failures) {
        return render(version, telemetryPath, configs, failures, Optional.empty());
    }

    /** @param status how the start or the last reload went, shown above the configs */
    static String render(String version, String telemetryPath, List<ExporterView.Config> configs,
                         List<Exporter.ConfigFailure> failures, Optional<ReloadStatus> status) {
        StringBuilder html = new StringBuilder(4096);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>ebpf-exporter</title><link rel=\"stylesheet\" href=\"/view/view.css\">")
                .append("<script src=\"/view/view.js\" defer></script></head>\n")
                .append("<body data-telemetry-path=\"").append(escape(telemetryPath)).append("\">\n")
                .append("<header><h1>ebpf-exporter</h1><span class=\"version\">version ").append(escape(version))
                .append("</span><nav><a href=\"").append(escape(telemetryPath)).append("\">Metrics</a> ")
                .append("<a href=\"/-/healthy\">Health</a> <a href=\"/-/ready\">Readiness</a></nav>")
                .append("<span id=\"status\" class=\"status\"></span></header>\n<main>\n");
        html.append("<section id=\"configs\"><h2>Configs</h2>\n");
        status.ifPresent(s -> reload(html, s));
        if (configs.isEmpty()) {
            html.append("<p>No config is loaded.</p>\n");
        }
        for (ExporterView.Config config : configs) {
            config(html, config);
        }
        if (!failures.isEmpty()) {
            html.append("<h3>Failed configs</h3>\n<table class=\"failures\"><thead><tr><th>config</th><th>reason</th>")
                    .append("</tr></thead><tbody>\n");
            for (Exporter.ConfigFailure failure : failures) {
                html.append("<tr><td>").append(escape(failure.name())).append("</td><td>").append(escape(failure.reason()))
                        .append("</td></tr>\n");
            }
            html.append("</tbody></table>\n");
        }
        html.append("</section>\n")
                .append("<noscript><p>Histograms and counters are drawn by a script: enable JavaScript, or read them on <a href=\"")
                .append(escape(telemetryPath)).append("\">").append(escape(telemetryPath)).append("</a>.</p></noscript>\n")
                .append("<section id=\"histograms\" hidden><h2>Histograms</h2><div id=\"histogram-list\"></div></section>\n")
                .append("<section id=\"counters\" hidden><h2>Counters</h2><div class=\"controls\">")
                .append("<label>filter <input id=\"counter-filter\" type=\"search\" placeholder=\"label text\"></label> ")
                .append("<label>top <select id=\"counter-top\"><option>10</option><option selected>20</option>")
                .append("<option>50</option><option>100</option></select></label></div>")
                .append("<div id=\"counter-list\"></div></section>\n")
                .append("</main>\n</body></html>\n");
        return html.toString();
    }

    /** The outcome of the start or the last reload: when, what it did, and each config that failed. */
    private static void reload(StringBuilder html, ReloadStatus status) {
        html.append("<p id=\"reload\" class=\"").append(status.successful() ? "ok" : "bad").append("\">Last load (start or reload) ")
                .append(status.successful() ? "successful" : "failed").append(" at ")
                .append(escape(status.lastAttempt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()))
                .append(": ").append(escape(status.summary()));
        if (!status.successful()) {
            html.append("; last successful: ").append(status.lastSuccess()
                    .map(t -> escape(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())).orElse("never"));
        }
        html.append("</p>\n");
        if (!status.errors().isEmpty()) {
            html.append("<ul class=\"reload-errors\">\n");
            status.errors().forEach(e -> html.append("<li>").append(escape(e)).append("</li>\n"));
            html.append("</ul>\n");
        }
    }

    private static void config(StringBuilder html, ExporterView.Config config) {
        html.append("<div class=\"config\" data-config=\"").append(escape(config.name())).append("\"><h3>")
                .append(escape(config.name())).append("</h3>\n<table class=\"programs\"><thead><tr><th>program</th>")
                .append("<th>section</th><th>id</th><th>state</th><th class=\"num\">runs</th>")
                .append("<th class=\"num\">run time</th><th class=\"num\">runs/s</th><th class=\"num\">CPU</th></tr></thead><tbody>\n");
        for (ExporterView.Program program : config.programs()) {
            html.append("<tr data-program=\"").append(escape(program.name())).append("\"><td>").append(escape(program.name()))
                    .append("</td><td>").append(escape(program.section())).append("</td><td>").append(program.id())
                    .append("</td><td class=\"").append(program.attached() ? "ok\">attached" : "bad\">not attached: ")
                    .append(program.attached() ? "" : escape(program.error().orElse("not attached")))
                    .append("</td><td class=\"num runs\">").append(program.runCount())
                    .append("</td><td class=\"num run-time\">").append(duration(program.runTimeNs()))
                    .append("</td><td class=\"num rate\"></td><td class=\"num cpu\"></td></tr>\n");
        }
        html.append("</tbody></table>\n<table class=\"maps\"><thead><tr><th>map</th><th>type</th><th class=\"num\">key</th>")
                .append("<th class=\"num\">value</th><th class=\"num\">max entries</th><th>metrics</th>")
                .append("<th class=\"num\">lost events</th></tr></thead><tbody>\n");
        for (ExporterView.Map map : config.maps()) {
            html.append("<tr><td>").append(escape(map.name())).append("</td><td>").append(escape(map.type()))
                    .append("</td><td class=\"num\">").append(map.keySize()).append(" B</td><td class=\"num\">")
                    .append(map.valueSize()).append(" B</td><td class=\"num\">").append(map.maxEntries())
                    .append("</td><td>").append(escape(String.join(", ", map.metrics())))
                    .append("</td><td class=\"num lost").append(map.lostEvents().orElse(0) > 0 ? " bad\">" : "\">")
                    .append(map.lostEvents().isPresent() ? Long.toString(map.lostEvents().getAsLong()) : "")
                    .append("</td></tr>\n");
        }
        html.append("</tbody></table>\n");
        if (!config.cuts().isEmpty()) {
            html.append("<table class=\"cuts\"><thead><tr><th>over the series limit</th><th class=\"num\">limit</th>")
                    .append("<th class=\"num\">cut at the last scrape</th><th class=\"num\">dropped since start</th>")
                    .append("</tr></thead><tbody>\n");
            for (ExporterView.SeriesCut cut : config.cuts()) {
                html.append("<tr><td class=\"bad\">").append(escape(cut.metric())).append("</td><td class=\"num\">")
                        .append(cut.limit()).append("</td><td class=\"num\">").append(cut.lastScrape())
                        .append("</td><td class=\"num\">").append(cut.dropped()).append("</td></tr>\n");
            }
            html.append("</tbody></table>\n");
        }
        html.append("</div>\n");
    }

    /** Nanoseconds as a short duration: {@code 0 s}, {@code 812 µs}, {@code 3.2 ms}, {@code 1.5 s}. */
    static String duration(long nanos) {
        if (nanos == 0) {
            return "0 s";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
