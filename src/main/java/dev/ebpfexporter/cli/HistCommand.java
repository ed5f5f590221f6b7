package dev.ebpfexporter.cli;

import dev.ebpfexporter.hist.BccFormat;
import dev.ebpfexporter.hist.DisplayUnit;
import dev.ebpfexporter.hist.Distribution;
import dev.ebpfexporter.hist.TextExposition;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ebpf_exporter hist URL METRIC [label=value...]}: a histogram from a running exporter's
 * text exposition (ours or the reference exporter's), printed as BCC's tools print theirs. With
 * {@code --interval N}, every N seconds the difference to the previous read, as {@code biolatency N}.
 */
@Command(name = "ebpf_exporter hist", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        exitCodeOnInvalidInput = Main.EXIT_FAILURE,
        description = {"Print a histogram from a running exporter's metrics as BCC's tools do (biolatency, runqlat).",
                "Series matching the labels are added up; --each prints one histogram per series."})
final class HistCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Parameters(index = "0", paramLabel = "URL",
            description = "The exporter's metrics: http(s)://[user:password@]host:port[/path] (path /metrics when left out), or a file: URL.")
    String url;

    @Parameters(index = "1", paramLabel = "METRIC", description = "Histogram name, with or without the ebpf_exporter_ prefix.")
    String metric;

    @Parameters(index = "2..*", paramLabel = "LABEL=VALUE", description = "Only series with these label values.")
    List<String> labelArgs = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "SECONDS",
            description = "Print the difference every SECONDS seconds instead of the totals once.")
    Integer interval;

    @Option(names = "--count", paramLabel = "N", description = "With --interval: stop after N histograms.")
    Integer count;

    @Option(names = "--each", description = "One histogram per series (its labels above it) instead of their sum.")
    boolean each;

    @Spec
    CommandSpec spec;

    /** Reads the exposition at a URL (tests give fixed texts). */
    interface Fetcher {
        String fetch(URI target) throws HistException;
    }

    /** Waits between reads (tests do not wait). */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final Fetcher fetcher;
    private final Sleeper sleeper;

    HistCommand(Fetcher fetcher, Sleeper sleeper) {
        this.fetcher = fetcher;
        this.sleeper = sleeper;
    }

    HistCommand() {
        this(HistCommand::fetch, Thread::sleep);
    }

    /** Runs {@code hist} with {@code args} (the words after {@code hist}). */
    static int run(String... args) {
        return run(new HistCommand(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    static int run(HistCommand command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(out);
        commandLine.setErr(err);
        Usage.installOneLineErrors(commandLine, "ebpf_exporter hist", Usage.HIST_HINT);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof HistException) {
                cl.getErr().println("ebpf_exporter hist: " + e.getMessage());
                cl.getErr().flush();
                return Main.EXIT_FAILURE;
            }
            if (e instanceof IllegalArgumentException) {
                cl.getErr().println("ebpf_exporter hist: " + e.getMessage());
                cl.getErr().flush();
                return Main.EXIT_FAILURE;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    /** A failure to report in one line, exit status 1. */
    static final class HistException extends Exception {
        HistException(String message) {
            super(message);
        }

        /** @param cause kept for the stack trace; the message is what the user sees */
        HistException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> match = parseLabels(labelArgs);
        if (interval != null && interval < 1) {
            throw new IllegalArgumentException("--interval: must be at least 1 second, got " + interval);
        }
        if (count != null && (count < 1 || interval == null)) {
            throw new IllegalArgumentException(interval == null ? "--count needs --interval" : "--count: must be at least 1");
        }
        URI target = target(url);
        PrintWriter out = spec.commandLine().getOut();
        if (interval == null) {
            out.print(render(read(target, match), Map.of()));
            out.flush();
            return Main.EXIT_OK;
        }
        out.println("Tracing " + metric + " at " + redacted(target) + "... Hit Ctrl-C to end.");
        out.flush();
        Map<String, Distribution> previous = read(target, match);
        for (int printed = 0; count == null || printed < count; printed++) {
            sleeper.sleep(interval * 1000L);
            Map<String, Distribution> current = read(target, match);
            out.println();
            out.print(render(current, previous));
            out.flush();
            previous = current;
        }
        return Main.EXIT_OK;
    }

    /** The histograms to print: one per series with --each (keyed by its labels), else one sum keyed "". */
    private Map<String, Distribution> read(URI target, Map<String, String> match) throws HistException {
        TextExposition exposition;
        try {
            exposition = TextExposition.parse(fetcher.fetch(target));
        } catch (IllegalArgumentException e) {
            throw new HistException(redacted(target) + ": " + e.getMessage(), e);
        }
        List<TextExposition.Series> series = exposition.series(metric, match);
        if (series.isEmpty()) {
            if (exposition.series(metric, Map.of()).isEmpty()) {
                throw new HistException("no histogram " + metric + " at " + redacted(target) + " (histograms there: "
                        + (exposition.histograms().isEmpty() ? "none" : String.join(", ", exposition.histograms())) + ")");
            }
            throw new HistException("no series of " + metric + " has " + describe(match) + " (its labels: "
                    + String.join(", ", exposition.labelNames(metric)) + ")");
        }
        Map<String, Distribution> result = new LinkedHashMap<>();
        for (TextExposition.Series one : series) {
            String key = each ? one.labels().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                    .collect(Collectors.joining(", ")) : "";
            Distribution sum = result.get(key);
            result.put(key, sum == null ? one.distribution() : sum.plus(one.distribution()));
        }
        return result;
    }

    private String render(Map<String, Distribution> current, Map<String, Distribution> previous) {
        StringBuilder text = new StringBuilder();
        for (var entry : current.entrySet()) {
            Distribution earlier = previous.get(entry.getKey());
            Distribution shown = earlier == null ? entry.getValue() : entry.getValue().minus(earlier);
            DisplayUnit unit = DisplayUnit.of(metric, shown.bounds());
            if (each) {
                text.append('\n').append(entry.getKey()).append('\n');
            }
            text.append(BccFormat.render(unit.label(), shown.rows(unit)));
        }
        return text.toString();
    }

    private static String describe(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static Map<String, String> parseLabels(List<String> args) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("\"" + arg + "\": labels are given as LABEL=VALUE");
            }
            labels.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        return labels;
    }

    /** {@code host:port} and URLs without a path get http:// and /metrics. */
    static URI target(String text) {
        String withScheme = text.contains("://") || text.startsWith("file:") ? text : "http://" + text;
        URI uri;
        try {
            uri = URI.create(withScheme);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("URL \"" + text + "\": " + e.getMessage(), e);
        }
        if (uri.getScheme().equals("file")) {
            return uri;
        }
        if (!uri.getScheme().equals("http") && !uri.getScheme().equals("https")) {
            throw new IllegalArgumentException("URL \"" + text + "\": only http, https and file URLs are read");
        }
        if (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/")) {
            uri = uri.resolve("/metrics");
        }
        return uri;
    }

    /** The URL without its password, for messages. */
    private static String redacted(URI uri) {
        return uri.getRawUserInfo() == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    }

    private static String fetch(URI target) throws HistException {
        if (target.getScheme().equals("file")) {
            try {
                return Files.readString(Path.of(target));
            } catch (IOException | RuntimeException e) {
                throw new HistException(target + ": " + e.getMessage(), e);
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(target)).timeout(TIMEOUT)
                .header("Accept", "text/plain;version=0.0.4");
        if (target.getRawUserInfo() != null) {
            String userInfo = java.net.URLDecoder.decode(target.getRawUserInfo(), StandardCharsets.UTF_8);
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new HistException("GET " + redacted(target) + ": HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new HistException("GET " + redacted(target) + ": " + unreachable(e, target), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistException("GET " + redacted(target) + ": interrupted");
        }
    }

    /**
     * Why a GET failed, in words: the JDK's client throws a {@link java.net.ConnectException} without a
     * message for a refused connection, and its timeouts name no address.
     */
    static String unreachable(IOException e, URI target) {
        String where = target.getHost() + ":" + (target.getPort() > 0 ? target.getPort()
                : target.getScheme().equals("https") ? 443 : 80);
        return switch (e) {
            case java.net.http.HttpConnectTimeoutException t -> "no connection to " + where + " within "
                    + TIMEOUT.toSeconds() + " s (is the host reachable?)";
            case java.net.http.HttpTimeoutException t -> "no answer from " + where + " within " + TIMEOUT.toSeconds() + " s";
            case java.net.ConnectException c -> "cannot connect to " + where
                    + " (connection refused: is the exporter running and listening there? see --web.listen-address)";
            case java.net.UnknownHostException u -> "unknown host " + target.getHost();
            case javax.net.ssl.SSLException ssl -> "TLS: " + ssl.getMessage();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }

    private static URI withoutUserInfo(URI uri) {
        try {
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(), null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("URL \"" + uri + "\": " + e.getMessage(), e);
        }
    }
}
