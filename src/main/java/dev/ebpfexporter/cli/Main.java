package dev.ebpfexporter.cli;

import dev.ebpfexporter.btf.BtfChoice;
import dev.ebpfexporter.btf.BtfException;
import dev.ebpfexporter.btf.BtfResolver;
import dev.ebpfexporter.btf.KernelBtf;
import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.bpf.BpfStats;
import dev.ebpfexporter.bpf.sys.LibbpfVersion;
import dev.ebpfexporter.bpf.sys.Libc;
import dev.ebpfexporter.collector.BuildInfo;
import dev.ebpfexporter.collector.ConfigFiles;
import dev.ebpfexporter.collector.Exporter;
import dev.ebpfexporter.collector.ExporterCollector;
import dev.ebpfexporter.collector.ExporterView;
import dev.ebpfexporter.collector.LoadedConfig;
import dev.ebpfexporter.collector.MapsView;
import dev.ebpfexporter.collector.ObjectLoader;
import dev.ebpfexporter.collector.ProgramState;
import dev.ebpfexporter.collector.RunStatistics;
import dev.ebpfexporter.collector.StatsMode;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ConfigLoader;
import dev.ebpfexporter.config.ExporterConfig;
import dev.ebpfexporter.config.GoDuration;
import dev.ebpfexporter.decoder.DecoderException;
import dev.ebpfexporter.decoder.DecoderRegistry;
import dev.ebpfexporter.exposition.CachedRegistry;
import dev.ebpfexporter.exposition.Exposition;
import dev.ebpfexporter.exposition.ScrapePart;
import dev.ebpfexporter.http.BindFailure;
import dev.ebpfexporter.http.ListenAddress;
import dev.ebpfexporter.http.MapsJson;
import dev.ebpfexporter.http.MetricsEndpoint;
import dev.ebpfexporter.http.WebConfig;
import dev.ebpfexporter.http.WebConfigException;
import dev.ebpfexporter.http.WebServer;
import dev.ebpfexporter.lifecycle.Resources;
import dev.ebpfexporter.metrics.MetricOptions;
import dev.ebpfexporter.metrics.SeriesLimit;
import dev.ebpfexporter.otlp.OtlpPush;
import dev.ebpfexporter.otlp.OtlpPushException;
import dev.ebpfexporter.pin.PinDirectory;
import dev.ebpfexporter.pin.PinException;
import dev.ebpfexporter.tracing.StartupTrace;
import dev.ebpfexporter.tracing.Tracing;
import dev.ebpfexporter.view.LiveView;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ebpf_exporter}: flags as the reference exporter has them (kingpin's: booleans also take
 * {@code --no-<flag>}); exit 0 ok (a clean shutdown on SIGTERM or SIGINT included, as the reference),
 * 1 for any failure, bad flags and a failed or timed-out shutdown included, as kingpin exits.
 */
@Command(name = "ebpf_exporter", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpAutoWidth = true, exitCodeOnInvalidInput = Main.EXIT_FAILURE,
        description = "Prometheus exporter for eBPF programs: loads <name>.bpf.o with <name>.yaml and exports its maps.",
        footer = {"", "Also: ebpf_exporter hist URL METRIC [LABEL=VALUE...] prints a histogram as BCC's tools do (hist --help).",
                "ebpf_exporter hash-password [--cost=N] < password: prints the bcrypt hash of the password on"
                + " standard input, for basic_auth_users in --web.config.file."})
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILURE = 1;
    /** JVM metrics (MXBean reads) are reused by scrapes within this age of each other. */
    private static final Duration JVM_METRICS_MAX_AGE = Duration.ofSeconds(1);
    /** The whole shutdown (HTTP, configs, stats, tracing) gets this long; then the process halts with 1. */
    static final Duration SHUTDOWN_LIMIT = Duration.ofSeconds(30);

    @Option(names = "--config.dir", required = true, paramLabel = "DIR",
            description = "Directory with <name>.yaml configs and their <name>.bpf.o objects.")
    Path configDir;

    @Option(names = "--config.names", required = true, paramLabel = "NAMES",
            description = "Comma separated names of the configs to load.")
    String configNames;

    @Option(names = "--config.strict", negatable = true,
            description = "Also fail startup when a program does not attach or a config has a key its format does not know.")
    boolean strict;

    @Option(names = "--config.check", negatable = true,
            description = "Load and attach every config as a start would, detach, and exit: 0 it would start, 1 not.")
    boolean check;

    @Option(names = "--config.allow-failures", negatable = true,
            description = "Keep serving when a config fails to load or the kernel refuses some of its programs "
                    + "(they show on /, in ebpf_exporter_failed_configs and as 503 on /-/ready) instead of exiting 1.")
    boolean allowFailures;

    @Option(names = "--config.skip-cache-size", defaultValue = "0", paramLabel = "N",
            description = "Accepted for compatibility; skipped keys are cached only while their map holds them.")
    int skipCacheSize;

    @Option(names = "--web.listen-address", defaultValue = ":9435", paramLabel = "ADDRESS",
            description = "Address to listen on for HTTP (default: ${DEFAULT-VALUE}).")
    String listenAddress;

    @Option(names = "--web.enable-lifecycle", negatable = true,
            description = "Serve POST /-/reload (behind the web config's auth), which reloads the configs as SIGHUP does.")
    boolean enableLifecycle;

    @Option(names = "--web.config.file", paramLabel = "FILE",
            description = "Prometheus exporter-toolkit web config (YAML) that enables TLS, basic auth, response headers and a rate limit.")
    Path webConfigFile;

    @Option(names = "--debug", negatable = true, description = "Serve /maps: every map of every loaded config, decoded, as JSON.")
    boolean debug;

    @Option(names = "--capabilities.keep", defaultValue = "all", paramLabel = "CAPS",
            description = "Accepted as the reference's flag, only as all (the default): a drop cannot reach the JVM's own threads; use --runas.user.")
    String capabilitiesKeep;

    @Option(names = "--runas.user", paramLabel = "USER",
            description = "After attaching and binding the port, switch the whole process (every thread) to this unprivileged user: a name, uid or uid:gid.")
    String runAsUser;

    @Option(names = "--web.telemetry-path", defaultValue = "/metrics", paramLabel = "PATH",
            description = "Path under which to expose metrics (default: ${DEFAULT-VALUE}).")
    String telemetryPath;

    @Option(names = "--btf.path", paramLabel = "FILE",
            description = "BTF for CO-RE relocations on kernels without /sys/kernel/btf/vmlinux: this kernel's BTF file,"
                    + " or a directory laid out as <os id>/<version id>/<arch>/<kernel release>.btf[.tar.xz].")
    Path btfPath;

    @Option(names = "--bpf.pin-path", paramLabel = "DIR",
            description = "Directory on a BPF filesystem (e.g. /sys/fs/bpf/ebpf_exporter) where each config's metric maps are"
                    + " pinned, so that their counts survive restarts, upgrades and reloads.")
    Path pinPath;

    @Option(names = "--metrics.series-limit", defaultValue = "" + SeriesLimit.DEFAULT, paramLabel = "N",
            description = "Most series one metric exports per scrape; the rest count in ebpf_exporter_series_dropped_total (default: ${DEFAULT-VALUE}).")
    int seriesLimit;

    @Option(names = "--metrics.native-histograms", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve exp2 histograms whose bounds are powers of two as native histograms too, beside their "
                    + "classic buckets, to scrapers that ask for protobuf; a histogram's native_histogram wins "
                    + "(default: ${DEFAULT-VALUE}).")
    boolean nativeHistograms;

    @Option(names = "--metrics.otlp-push-interval", defaultValue = "0s", paramLabel = "DUR",
            description = "Also push the metrics over OTLP/HTTP at this interval (e.g. 30s), to where the OTEL_EXPORTER_OTLP_* "
                    + "variables say; 0s never pushes (default: ${DEFAULT-VALUE}).")
    String otlpPushInterval;

    @Option(names = "--web.gzip-level", defaultValue = "" + MetricsEndpoint.DEFAULT_GZIP_LEVEL, paramLabel = "LEVEL",
            description = "gzip level of /metrics for clients that accept gzip: 1 fastest .. 9 smallest, 0 never (default: ${DEFAULT-VALUE}).")
    int gzipLevel;

    @Option(names = "--bpf.stats", defaultValue = "off", paramLabel = "MODE",
            description = "Kernel BPF run time statistics (they cost every BPF program on the host two clock reads per run): "
                    + "off reports them only while kernel.bpf_stats_enabled is on, on turns them on for the whole run, "
                    + "sampled for 1s every minute (ebpf_program_sampled_*) (default: ${DEFAULT-VALUE}).")
    String bpfStats;

    @Option(names = "--log.level", defaultValue = "info", paramLabel = "LEVEL",
            description = "Only log messages with the given severity or above: debug, info, warn, error (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Option(names = "--log.format", defaultValue = "logfmt", paramLabel = "FORMAT",
            description = "Output format of log messages: logfmt, json (default: ${DEFAULT-VALUE}).")
    String logFormat;

    @Option(names = "--log.no-timestamps", negatable = true, description = "Log lines without the time field.")
    boolean noTimestamps;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        if (args.length > 0 && args[0].equals("hist")) {
            return HistCommand.run(Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals(HashPassword.NAME)) {
            return HashPassword.run(System.in, System.out, System.err, Arrays.copyOfRange(args, 1, args.length));
        }
        CommandLine commandLine = new CommandLine(new Main());
        // kingpin's negation, --no-<flag>, also for our dotted names (picocli's default skips names with dots).
        commandLine.setNegatableOptionTransformer(new CommandLine.RegexTransformer.Builder()
                .addPattern("^--no-([\\w.-]+)$", "--$1", "--[no-]$1")
                .addPattern("^--([\\w.-]+)$", "--no-$1", "--[no-]$1")
                .build());
        Usage.install(commandLine);
        commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                cl.getErr().println("ebpf_exporter: " + e.getMessage());
                return EXIT_FAILURE;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        Logging.configure(Logging.parseLevel(logLevel), LogFormat.parse(logFormat), !noTimestamps);
        Optional<String> unsupported = Architecture.refusal(System.getProperty("os.arch"));
        if (unsupported.isPresent()) {
            throw new IllegalArgumentException(unsupported.get());
        }
        if (!telemetryPath.startsWith("/")) {
            throw new IllegalArgumentException("--web.telemetry-path: \"" + telemetryPath + "\" must start with /");
        }
        ListenAddress address = ListenAddress.parse(listenAddress);
        Capabilities.requireAll(capabilitiesKeep);
        Optional<RunAs.Account> runAs = Optional.ofNullable(runAsUser).map(u -> RunAs.resolve(u, Path.of("/etc/passwd")));
        if (gzipLevel < 0 || gzipLevel > 9) {
            throw new IllegalArgumentException("--web.gzip-level: must be 0 (off) to 9, got " + gzipLevel);
        }
        if (seriesLimit < 1) {
            throw new IllegalArgumentException("--metrics.series-limit: must be at least 1, got " + seriesLimit);
        }
        Duration pushInterval = pushInterval(otlpPushInterval);
        StatsMode statsMode = StatsMode.parse(bpfStats);
        if (skipCacheSize < 0) {
            throw new IllegalArgumentException("--config.skip-cache-size: must not be negative, got " + skipCacheSize);
        }
        if (!java.nio.file.Files.isDirectory(configDir)) {
            throw new IllegalArgumentException("--config.dir: path '" + configDir + "' is not a directory");
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        // From here on a stop request ends in the one shutdown below, also during start-up.
        StopSignals stop = StopSignals.install();
        Resources owned = new Resources("ebpf_exporter");
        // Another way out of the JVM (System.exit, a signal we do not take) still closes what start-up made.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("shutdown").unstarted(owned::close));
        int code;
        try {
            code = start(log, owned, stop, new Parsed(address, runAs, pushInterval, statsMode));
        } catch (Throwable t) {
            Shutdown.close(log, owned, EXIT_FAILURE, SHUTDOWN_LIMIT, Runtime.getRuntime()::halt);
            throw t;
        }
        return Shutdown.close(log, owned, code, SHUTDOWN_LIMIT, Runtime.getRuntime()::halt);
    }

    /**
     * Starts the exporter, each thing it makes owned by {@code owned} as soon as it exists, and serves
     * until a stop is requested. Returns the exit status; the caller closes {@code owned} either way.
     */
    private int start(Logger log, Resources owned, StopSignals stop, Parsed parsed) throws Exception {
        ListenAddress address = parsed.address();
        Optional<RunAs.Account> runAs = parsed.runAs();
        long started = System.nanoTime();
        BuildInfo build = BuildInfo.load();
        log.info("starting ebpf_exporter {} (revision {}, Java {})", build.version(), build.revision(), Runtime.version());
        try {
            LibbpfVersion libbpf = LibbpfVersion.loaded();
            log.info("libbpf {} from {}", libbpf.version(), libbpf.file());
        } catch (IllegalStateException e) {
            log.error("{}", e.getMessage());
            log.debug("libbpf", e);
            return EXIT_FAILURE;
        }
        WebConfig web = WebConfig.NONE;
        if (webConfigFile != null && !check) {
            try {
                web = WebConfig.load(webConfigFile);
            } catch (WebConfigException e) {
                log.error("--web.config.file: {}", e.getMessage());
                log.debug("--web.config.file", e);
                return EXIT_FAILURE;
            }
        }
        // Take the inherited socket before anything else can touch file descriptor 0 or 3.
        ServerSocketChannel inherited = null;
        if (address instanceof ListenAddress.Fd fd && !check) {
            try {
                inherited = SocketActivation.listener(fd.index(), System.getenv(), ProcessHandle.current().pid());
            } catch (IOException e) {
                log.error("--web.listen-address={}: {}", listenAddress, e.getMessage());
                log.debug("--web.listen-address", e);
                return EXIT_FAILURE;
            }
        }

        List<String> names;
        try {
            names = ConfigLoader.parseNames(configNames);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        Optional<PinDirectory> pins = Optional.empty();
        if (pinPath != null) {
            try {
                pins = Optional.of(PinDirectory.open(pinPath));
            } catch (PinException e) {
                throw new IllegalArgumentException("--bpf.pin-path: " + e.getMessage(), e);
            }
        }
        BtfChoice btf = new BtfChoice(BtfResolver.forSystem(Optional.ofNullable(btfPath)));
        KernelBtf btfForStart = owned.add("kernel BTF extracted for the start", choose(btf));
        ConfigFiles configFiles = new ConfigFiles(strict, () -> btf.current().file());
        ConfigFiles.Wanted wanted = configFiles.readAll(configDir, names);
        List<ExporterConfig> configs = wanted.configs().stream().map(ConfigFiles.Version::config).toList();
        // Configs (one per program of an inline file) that were meant to load: those read and those that failed.
        int wantedCount = configs.size() + wanted.failures().size();
        StartPolicy policy = new StartPolicy(strict, allowFailures);
        Optional<String> unprivileged = Privileges.current().missing();
        if (unprivileged.isPresent() && policy.allowsFailures()) {
            log.warn("--config.allow-failures: going on anyway: {}", unprivileged.get());
        } else if (unprivileged.isPresent()) {
            log.error("{}", unprivileged.get());
            return EXIT_FAILURE;
        }
        Optional<Tracing> tracing = StartupTracing.tracing(log, configs);
        tracing.ifPresent(t -> owned.add("start-up tracing", t));
        DecoderRegistry decoders = DecoderRegistry.forSystem();
        MetricOptions metricOptions = new MetricOptions(seriesLimit, nativeHistograms);
        ObjectLoader loader = (tracing.isPresent()
                ? new ObjectLoader(decoders::create, Optional.empty(), metricOptions, tracing::get)
                : new ObjectLoader(decoders::create, Optional.empty(), metricOptions)).usingBtf(btf);
        if (pins.isPresent() && !check) { // a check loads as a start would, but leaves the pins as they are
            loader = loader.pinningIn(pins.get());
        }
        Exporter exporter = new Exporter(loader, tracing.map(StartupTrace::of).orElse(StartupTrace.NONE));
        if (!wanted.failures().isEmpty() && !policy.allowsFailures()) {
            wanted.failures().forEach(f -> exporter.recordFailure(f.name(), f.reason()));
            return exitOnFailures(log, exporter, policy);
        }
        if (pins.isPresent() && !check) {
            try {
                pins.get().removeAllBut(wanted.names(), wanted.failures().stream().map(Exporter.ConfigFailure::name).toList());
            } catch (PinException e) {
                log.error("--bpf.pin-path: {}", e.getMessage());
                log.debug("--bpf.pin-path", e);
                return EXIT_FAILURE;
            }
        }

        if (!check && PrivilegedReads.readsKallsyms(configs)) {
            readKernelSymbolsAhead(log, decoders);
        }
        owned.add("configs", exporter);
        exporter.load(wanted);
        btfForStart.close(); // libbpf has read it: an extracted file is removed now, not at exit
        if (stop.isRequested()) {
            log.info("stop requested while loading; not serving");
            return EXIT_OK;
        }
        Optional<String> fatal = policy.fatal(exporter);
        if (fatal.isPresent()) {
            return exitOnFailures(log, exporter, policy);
        }
        if (check) {
            return checked(log, owned, exporter);
        }
        exporter.failures().forEach(f -> log.warn("--config.allow-failures: serving without config {}", f.name()));
        RunStatistics stats = RunStatistics.start(parsed.statsMode(), RunStatistics.Schedule.DEFAULT, BpfStats::enable,
                exporter::configs, log);
        owned.add("BPF statistics", stats); // closes before the configs: a sampled window reads their programs

        ExporterCollector collector = new ExporterCollector(exporter, build);
        PrometheusRegistry jvmRegistry = new PrometheusRegistry();
        JvmMetrics.builder().register(jvmRegistry);
        ScrapePart jvm = new CachedRegistry(jvmRegistry, JVM_METRICS_MAX_AGE).part("jvm");
        Exposition exposition = new Exposition(() -> collector.open().plus(stats.part(), jvm));
        ConfigReload reload = new ConfigReload(configFiles, configDir, names, exporter, btf);

        // What only a privileged process can read is read now, before the switch.
        List<ExporterConfig> loaded = exporter.configs().stream().map(LoadedConfig::config).toList();
        try {
            if (runAs.isPresent() && PrivilegedReads.readsKallsyms(loaded)) {
                decoders.preloadKernelSymbols();
            }
        } catch (DecoderException e) {
            log.error("{}", e.getMessage());
            log.debug("privileged reads", e);
            return EXIT_FAILURE;
        }
        AtomicBoolean serving = new AtomicBoolean();
        if (!parsed.pushInterval().isZero()) {
            OtlpPush push;
            try {
                push = OtlpPush.start(parsed.pushInterval(), exposition, build.version(), exporterStart(), java.util.Map.of());
            } catch (OtlpPushException e) {
                log.error("{}", e.getMessage());
                log.debug("OTLP push", e);
                return EXIT_FAILURE;
            }
            // The last push, while the configs' maps are still there; none when start-up stopped early.
            owned.add("OTLP push", () -> {
                if (serving.get()) {
                    push.close();
                } else {
                    push.abort();
                }
            });
            log.info("{}", push.description());
        }

        Optional<MapsJson> maps = debug
                ? Optional.of(new MapsJson(new MapsView(exporter::configs, decoders::create)))
                : Optional.empty();
        LiveView view = new LiveView(ExporterView.of(exporter), build.version(), telemetryPath);
        WebServer.Endpoints endpoints = new WebServer.Endpoints(telemetryPath, new MetricsEndpoint(exposition, gzipLevel), view::page,
                () -> notReady(exporter), maps, Optional.of(view),
                enableLifecycle ? Optional.of(() -> reload.reload("POST /-/reload")) : Optional.empty());
        WebServer server;
        try {
            server = inherited != null
                    ? WebServer.start(inherited, web, endpoints, WebServer.Limits.DEFAULT)
                    : WebServer.start(((ListenAddress.Tcp) address).socketAddress(), web, endpoints, WebServer.Limits.DEFAULT);
        } catch (IOException | WebConfigException e) {
            log.error("cannot listen on {}: {}", listenAddress, e instanceof IOException io && address instanceof ListenAddress.Tcp tcp
                    ? BindFailure.describe(io, tcp.socketAddress().getPort()) : e.getMessage());
            log.debug("listen", e);
            return EXIT_FAILURE;
        }
        // First to close: no new scrapes; a scrape in flight finishes its map reads before an object closes.
        owned.add("web server", () -> {
            server.close();
            SocketActivation.restoreStdio();
        });
        log.info("listening on {} ({}{}{}), {} of {} configs loaded, started in {} ms", server.address(), telemetryPath,
                web.tls().isPresent() ? ", TLS" : "", web.requiresAuth() ? ", basic auth" : "",
                exporter.configs().size(), wantedCount, (System.nanoTime() - started) / 1_000_000);
        if (debug) {
            log.info("debug enabled: maps served as JSON on /maps");
            if (!web.requiresAuth()) {
                log.warn("--debug without basic_auth_users in --web.config.file: /maps shows raw kernel addresses to"
                        + " anyone who can reach {}:{}", server.address().getHostString(), server.port());
            }
        }
        if (runAs.isPresent()) {
            try {
                int threads = RunAs.switchTo(runAs.get());
                log.info("running as {}: all {} threads checked: no capabilities, no_new_privs set", runAs.get().describe(),
                        threads);
            } catch (Libc.NativeException | IOException e) {
                log.error("--runas.user={}: {}", runAsUser, e.getMessage());
                log.debug("--runas.user", e);
                return EXIT_FAILURE;
            }
        }
        reload.onSighup();
        serving.set(true);
        notifySystemd(log, "READY=1");

        String signal = stop.await();
        // Shutdown closes in reverse order of start: HTTP, the last OTLP push, the configs (event pumps
        // flush, links, objects), then tracing, which takes the pumps' last spans; the statistics close just
        // before the configs.
        log.info("shutting down: detaching programs ({})", signal);
        notifySystemd(log, "STOPPING=1");
        return EXIT_OK;
    }

    /** Flag values checked before start-up begins. */
    private record Parsed(ListenAddress address, Optional<RunAs.Account> runAs, Duration pushInterval, StatsMode statsMode) {
    }

    /**
     * Why {@code /-/ready} answers 503: the configs that failed to load (served without them under
     * {@code --config.allow-failures}), then each one's reason; empty when every config loaded.
     */
    static List<String> notReady(Exporter exporter) {
        List<Exporter.ConfigFailure> failures = exporter.failures();
        if (failures.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        lines.add("configs failed to load: " + String.join(", ", failures.stream().map(Exporter.ConfigFailure::name).toList()));
        failures.forEach(f -> lines.add(f.reason()));
        return lines;
    }

    /** {@code --metrics.otlp-push-interval}: a Go duration, 0 for off. */
    static Duration pushInterval(String text) {
        Duration interval = GoDuration.parse(text).orElseThrow(() -> new IllegalArgumentException(
                "--metrics.otlp-push-interval: \"" + text + "\" is not a duration like 30s or 1m"));
        if (interval.isNegative() || !interval.isZero() && interval.toMillis() < 1) {
            throw new IllegalArgumentException("--metrics.otlp-push-interval: must be 0s (off) or at least 1ms, got " + text);
        }
        return interval;
    }

    /** When the JVM started: before any config loaded, so every count the push sends began after it. */
    private static Instant exporterStart() {
        return Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    private static void notifySystemd(Logger log, String state) {
        try {
            if (SystemdNotify.notify(System.getenv("NOTIFY_SOCKET"), state)) {
                log.debug("notified systemd: {}", state);
            }
        } catch (Libc.NativeException e) {
            log.warn("cannot notify systemd ({}): {}", state, e.getMessage());
            log.debug("sd_notify {}", state, e);
        }
    }

    /** The kernel BTF for the start; a {@code --btf.path} that gives none is a bad flag, one line. */
    private static KernelBtf choose(BtfChoice btf) {
        try {
            return btf.choose();
        } catch (BtfException e) {
            throw new IllegalArgumentException("--btf.path: " + e.getMessage(), e);
        }
    }

    /** Logs why startup stops and returns 1 (whatever was attached is detached by the shutdown). */
    private static int exitOnFailures(Logger log, Exporter exporter, StartPolicy policy) {
        log.error("{}, exiting", policy.fatal(exporter).orElse("configs failed"));
        return EXIT_FAILURE;
    }

    /** {@code --config.check} passed: everything loaded and attached as a start would; detach it all again. */
    private static int checked(Logger log, Resources owned, Exporter exporter) {
        int configs = exporter.configs().size();
        long attached = exporter.configs().stream().flatMap(c -> c.programs().stream()).filter(ProgramState::attached).count();
        int code = Shutdown.close(log, owned, EXIT_OK, SHUTDOWN_LIMIT, Runtime.getRuntime()::halt);
        if (code == EXIT_OK) {
            log.info("config check successful: {} configs loaded, {} programs attached, all detached again", configs, attached);
        }
        return code;
    }

    /**
     * Reads /proc/kallsyms on its own thread while the programs load, so that the first scrape of a
     * {@code ksym} or {@code kstack} label does not wait for it. A failure here is the first scrape's to
     * report (it reads the file again).
     */
    private static void readKernelSymbolsAhead(Logger log, DecoderRegistry decoders) {
        Thread.ofPlatform().daemon().name("kallsyms").start(() -> {
            try {
                decoders.preloadKernelSymbols();
            } catch (DecoderException e) {
                log.debug("kernel symbols not read ahead (the first scrape reads them and reports a failure)", e);
            }
        });
    }

    /** {@code --version}: the version and revision baked in at build time, and the libbpf it loads. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo build = BuildInfo.load();
            String libbpf;
            try {
                libbpf = LibbpfVersion.loaded().toString();
            } catch (IllegalStateException e) {
                libbpf = "libbpf: " + e.getMessage(); // --version still answers: what is missing is the answer
            }
            return new String[]{"ebpf_exporter " + build.version() + " (revision " + build.revision() + ", Java "
                    + Runtime.version() + ")", libbpf};
        }
    }
}
