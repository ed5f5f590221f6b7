package dev.ebpfexporter.cli;

import dev.ebpfexporter.testing.Ports;
import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.ebpfexporter.hist.Distribution;
import dev.ebpfexporter.hist.TextExposition;
import dev.ebpfexporter.testing.BpfAvailability;
import dev.ebpfexporter.testing.Chromium;
import dev.ebpfexporter.testing.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The landing page in headless Chromium, served by the launcher with biolatency and timers loaded
 * and TLS plus basic auth from --web.config.file: the programs list without script, the
 * histogram's bars equal to a scrape, a live update after direct writes, the counters' top table
 * and its filter, all under a strict Content-Security-Policy, and a screenshot saved as target/web-view.png.
 */
class WebViewBrowserIT {
    private static final String USER = "viewer";
    private static final String PASSWORD = "s3cret-view";
    private static final String HISTOGRAM = "ebpf_exporter_bio_latency_seconds";
    private static final String CARD = "const card = document.querySelector('.histogram[data-metric=\"" + HISTOGRAM + "\"]');";
    private static final String READ_BARS = CARD + " if (!card) return null; return {seq: +document.body.dataset.seq,"
            + " series: card.dataset.series, rows: [...card.querySelectorAll('tr.bar-row')].map(r =>"
            + " [+r.dataset.bucket, +r.dataset.count, parseFloat(r.querySelector('.bar').style.width) || 0])};";

    @Test
    @Timeout(240)
    void theLandingPageShowsLiveHistogramsAndCountersOfRealPrograms(@TempDir Path dir) throws Exception {
        BpfAvailability.require();
        Chromium.binary();
        TlsFiles tls = TlsFiles.create(dir);
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(6, PASSWORD.toCharArray());
        Path web = dir.resolve("web.yml");
        Files.writeString(web, "tls_server_config:\n  cert_file: " + tls.cert() + "\n  key_file: " + tls.key()
                + "\nbasic_auth_users:\n  " + USER + ": " + hash
                // A strict policy: the page must work with no inline script or style and nothing from elsewhere.
                + "\nhttp_server_config:\n  headers:\n    Content-Security-Policy: \"default-src 'self'\"\n");
        int port = Ports.free();
        String base = "https://127.0.0.1:" + port;
        String authorization = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String device = Workloads.blockDeviceOf(Workloads.SCRATCH_DIR);
        String series = "device=\"" + device + "\",operation=\"write\"";
        Map<String, String> seriesLabels = Map.of("device", device, "operation", "write");

        // --bpf.stats=on: the programs' run counts and CPU share are what the page must show filling in.
        try (Launcher exporter = Launcher.start("--config.dir=" + BpfAvailability.examples(),
                "--config.names=biolatency,timers", "--web.listen-address=127.0.0.1:" + port, "--web.config.file=" + web,
                "--bpf.stats=on");
             Workloads.ScratchFile file = Workloads.scratchFile("web-view");
             HttpClient http = HttpClient.newBuilder().sslContext(tls.trusting()).connectTimeout(Duration.ofSeconds(10)).build()) {
            exporter.awaitLog("listening on", Duration.ofSeconds(90));
            Workloads.directWrite(file.path(), 4096, 50); // the write series exists before the page opens

            // Every path of the view is behind the same basic auth as /metrics.
            for (String path : List.of("/", "/view/data", "/view/view.js", "/view/view.css", "/metrics")) {
                assertThat(get(http, base + path, null).statusCode()).as(path + " without credentials").isEqualTo(401);
                assertThat(get(http, base + path, authorization).statusCode()).as(path + " with credentials").isEqualTo(200);
            }

            try (Chromium chromium = Chromium.start()) {
                chromium.setHeaders(Map.of("Authorization", authorization));

                // Without JavaScript: the server-rendered configs and programs are there, the script's sections are not.
                chromium.send("Emulation.setScriptExecutionDisabled", "{\"value\":true}");
                chromium.navigate(base + "/");
                String dom = (String) chromium.evaluate("return document.documentElement.outerHTML;");
                assertThat(dom).contains("<h3>biolatency</h3>", "<h3>timers</h3>", "data-program=\"block_rq_issue\"",
                        "data-program=\"block_rq_complete\"", "data-program=\"timer_start\"",
                        "<td class=\"ok\">attached</td>", "<td>bio_latency_seconds</td>",
                        "<section id=\"histograms\" hidden=\"\">").doesNotContain("data-updates");

                chromium.send("Emulation.setScriptExecutionDisabled", "{\"value\":false}");
                chromium.navigate(base + "/?script=on"); // a new document, not the one loaded without script
                chromium.awaitValue("return +(document.body.dataset.updates || 0);", v -> ((Number) v).intValue() >= 1,
                        Duration.ofSeconds(30));
                Object selected = chromium.evaluate(CARD + " const s = card.querySelector('.series-select');"
                        + " s.value = " + jsString(series) + "; s.dispatchEvent(new Event('change')); return s.value;");
                assertThat(selected).isEqualTo(series);

                // The bars equal a scrape: read /metrics (A), wait for two samples taken after it, read the
                // page, read /metrics again (B). Concurrent IO only adds, so A <= page <= B per bucket.
                int seqNow = seq(chromium);
                Distribution before = scrape(http, base, authorization, seriesLabels);
                int seqAfterA = seq(chromium);
                chromium.awaitValue("return +document.body.dataset.seq;", v -> ((Number) v).intValue() >= seqAfterA + 2,
                        Duration.ofSeconds(30));
                Map<String, Object> bars = bars(chromium);
                Distribution after = scrape(http, base, authorization, seriesLabels);
                assertThat(seqAfterA).isGreaterThanOrEqualTo(seqNow);
                assertThat(bars.get("series")).isEqualTo(series);
                List<List<Number>> rows = rows(bars);
                assertThat(rows).as("bars drawn").isNotEmpty();
                long shownTotal = 0;
                for (List<Number> row : rows) {
                    int bucket = row.get(0).intValue();
                    long count = row.get(1).longValue();
                    shownTotal += count;
                    assertThat(count).as("bucket " + bucket).isBetween(before.counts()[bucket], after.counts()[bucket]);
                    assertThat(row.get(2).doubleValue() > 0).as("bar of bucket " + bucket + " drawn").isEqualTo(count > 0);
                }
                assertThat(shownTotal).isGreaterThanOrEqualTo(java.util.Arrays.stream(before.counts()).sum());

                // Live: 300 more direct writes show up without reloading the page.
                long total = shownTotal;
                Workloads.directWrite(file.path(), 4096, 300);
                chromium.awaitValue("const b = (() => { " + READ_BARS + " })(); return b.rows.reduce((s, r) => s + r[1], 0);",
                        v -> ((Number) v).longValue() >= total + 300, Duration.ofSeconds(30));
                Object heatPixels = chromium.evaluate(CARD + " const c = card.querySelector('canvas.heatmap');"
                        + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                        + " for (let i = 0; i < d.length; i += 4) if (d[i] !== 0xf4 || d[i + 1] !== 0xf6) n++; return n;");
                assertThat(((Number) heatPixels).intValue()).as("heatmap cells drawn").isPositive();

                // Programs: run counts and CPU share filled in live.
                Object programs = chromium.awaitValue("return [...document.querySelectorAll('tr[data-program]')].map(r =>"
                        + " [r.dataset.program, +r.querySelector('.runs').textContent, r.querySelector('.cpu').textContent]);",
                        v -> ((List<?>) v).stream().allMatch(r -> ((Number) ((List<?>) r).get(1)).longValue() > 0
                                && ((String) ((List<?>) r).get(2)).endsWith("%")), Duration.ofSeconds(30));
                assertThat((List<?>) programs).hasSize(3);

                // Counters: the busiest timers by rate, and the filter narrows them.
                String rowsOfTimers = "return [...document.querySelectorAll('.counter[data-metric=\"ebpf_exporter_timer_starts_total\"]"
                        + " tr.counter-row')].map(r => [r.dataset.labels, +r.dataset.value]);";
                List<?> timers = (List<?>) chromium.awaitValue(rowsOfTimers, v -> ((List<?>) v).size() >= 2, Duration.ofSeconds(30));
                String busiest = (String) ((List<?>) timers.getFirst()).get(0);
                String function = busiest.substring(busiest.indexOf('"') + 1, busiest.lastIndexOf('"'));
                chromium.screenshot(artifact(), 0.75);
                chromium.evaluate("const f = document.getElementById('counter-filter'); f.value = " + jsString(function)
                        + "; f.dispatchEvent(new Event('input')); return f.value;");
                chromium.awaitValue(rowsOfTimers, v -> !((List<?>) v).isEmpty() && ((List<?>) v).stream()
                        .allMatch(r -> ((String) ((List<?>) r).get(0)).contains(function)) && ((List<?>) v).size() < timers.size(),
                        Duration.ofSeconds(30));
            }
        }
    }

    private static int seq(Chromium chromium) throws Exception {
        return ((Number) chromium.evaluate("return +document.body.dataset.seq;")).intValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bars(Chromium chromium) throws Exception {
        return (Map<String, Object>) chromium.evaluate(READ_BARS);
    }

    @SuppressWarnings("unchecked")
    private static List<List<Number>> rows(Map<String, Object> bars) {
        return (List<List<Number>>) bars.get("rows");
    }

    private static Distribution scrape(HttpClient http, String base, String authorization, Map<String, String> labels)
            throws Exception {
        HttpResponse<String> response = get(http, base + "/metrics", authorization);
        assertThat(response.statusCode()).isEqualTo(200);
        List<TextExposition.Series> series = TextExposition.parse(response.body()).series(HISTOGRAM, labels);
        assertThat(series).as("scraped series " + labels).hasSize(1);
        return series.getFirst().distribution();
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Accept", "text/plain;version=0.0.4");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String jsString(String text) {
        return "\"" + dev.ebpfexporter.json.Json.escape(text) + "\"";
    }

    /** Where the screenshot goes: the build directory, kept as a test artifact. */
    static Path artifact() {
        String build = System.getenv("EBPF_EXPORTER_BUILD");
        return (build != null ? Path.of(build) : BpfAvailability.projectRoot().resolve("target")).resolve("web-view.png");
    }

    /** A self-signed certificate for 127.0.0.1 and a client context that trusts only it. */
    private record TlsFiles(Path cert, Path key) {
        static TlsFiles create(Path dir) throws Exception {
            Workloads.runOk("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString(), "-days", "2",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
            return new TlsFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        }

        SSLContext trusting() throws Exception {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(cert)) {
                store.setCertificateEntry("exporter", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        }
    }
}
