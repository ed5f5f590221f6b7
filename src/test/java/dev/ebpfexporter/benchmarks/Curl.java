package dev.ebpfexporter.benchmarks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scraper in a separate process: one curl fetching a URL several times over one connection,
 * timing each transfer itself ({@code %{time_total}}), so the measuring JVM's own pauses do not
 * count. Every transfer must be a 200 of the format asked for.
 */
final class Curl {
    static final String TEXT = "text/plain;version=0.0.4";

    private Curl() {
    }

    /** One transfer: curl's wall time in milliseconds and the body's size as received (gzipped if so). */
    record Transfer(double millis, long bytes) {
    }

    static List<Transfer> fetch(URI url, String accept, boolean gzip, int times) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-H", "Accept: " + accept));
        if (gzip) {
            command.addAll(List.of("-H", "Accept-Encoding: gzip"));
        }
        for (int i = 0; i < times; i++) {
            command.addAll(List.of("-o", "/dev/null", "-w", "%{http_code} %{time_total} %{size_download} %{content_type}\\n",
                    url.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("curl failed: " + output);
        }
        String expected = accept.equals(TEXT) ? "text/plain" : "application/vnd.google.protobuf";
        List<Transfer> transfers = new ArrayList<>();
        for (String line : output.strip().split("\n")) {
            String[] f = line.trim().split(" ", 4);
            if (!f[0].equals("200")) {
                throw new IllegalStateException("HTTP " + f[0] + " from " + url);
            }
            if (f.length < 4 || !f[3].startsWith(expected)) {
                throw new IllegalStateException("asked for " + accept + ", got " + (f.length < 4 ? "no type" : f[3]));
            }
            transfers.add(new Transfer(Double.parseDouble(f[1]) * 1000, Long.parseLong(f[2])));
        }
        return transfers;
    }
}
