package dev.ebpfexporter.http;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code --web.config.file}: the Prometheus exporter-toolkit web configuration (TLS, basic auth,
 * response headers, rate limit). Read once at startup; unknown keys and bad values are errors, as
 * the toolkit's strict YAML decoding makes them. Relative file names resolve against the file's
 * directory, as in the toolkit.
 */
public record WebConfig(Optional<Tls> tls, Map<String, String> basicAuthUsers, Map<String, String> headers,
                        Optional<RateLimit> rateLimit) {

    /** No TLS, no auth: what the exporter does without the flag. */
    public static final WebConfig NONE = new WebConfig(Optional.empty(), Map.of(), Map.of(), Optional.empty());

    /**
     * {@code tls_server_config}. PEM text is held inline: from {@code cert}/{@code key}/{@code client_ca}
     * or read from the {@code *_file} keys.
     */
    public record Tls(String certPem, String keyPem, Optional<String> clientCaPem, ClientAuth clientAuth,
                      List<String> clientAllowedSans, String minVersion, String maxVersion, List<String> cipherSuites,
                      boolean preferServerCipherSuites, List<String> curvePreferences) {
    }

    /** The toolkit's {@code client_auth_type} values (Go's tls.ClientAuthType names). */
    public enum ClientAuth {
        NO_CLIENT_CERT("NoClientCert", false, false, false),
        REQUEST_CLIENT_CERT("RequestClientCert", true, false, false),
        REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", false, true, false),
        VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", true, false, true),
        REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", false, true, true);

        final String yamlName;
        final boolean want;
        final boolean need;
        final boolean verify;

        ClientAuth(String yamlName, boolean want, boolean need, boolean verify) {
            this.yamlName = yamlName;
            this.want = want;
            this.need = need;
            this.verify = verify;
        }
    }

    /** {@code rate_limit}: a token bucket refilled one request per interval, holding up to burst. */
    public record RateLimit(Duration interval, int burst) {
    }

    /** Response headers the toolkit allows, with the values it accepts (null: any). */
    private static final Map<String, Set<String>> HEADERS = headerRules();

    private static final Set<String> TOP = Set.of("tls_server_config", "http_server_config", "basic_auth_users",
            "rate_limit");
    private static final Set<String> TLS_KEYS = Set.of("cert", "key", "client_ca", "cert_file", "key_file",
            "client_ca_file", "client_auth_type", "client_allowed_sans", "min_version", "max_version",
            "cipher_suites", "prefer_server_cipher_suites", "curve_preferences");
    private static final Set<String> HTTP_KEYS = Set.of("http2", "headers");
    private static final Set<String> RATE_KEYS = Set.of("interval", "burst");
    private static final List<String> VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

    /** Reads and validates {@code file}; the exception's message is one line naming the file and key. */
    public static WebConfig load(Path file) throws WebConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new WebConfigException(file + ": cannot read: " + e.getMessage());
        }
        Object root;
        try {
            root = new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build()).loadFromString(text);
        } catch (YamlEngineException e) {
            throw new WebConfigException(file + ": invalid YAML: " + e.getMessage().replace('\n', ' '));
        }
        return parse(file, root);
    }

    static WebConfig parse(Path file, Object root) throws WebConfigException {
        Reader r = new Reader(file);
        if (root == null) {
            return NONE;
        }
        Map<String, Object> top = r.map(root, "");
        r.known(top, TOP, "");
        Optional<Tls> tls = top.get("tls_server_config") == null ? Optional.empty()
                : r.tls(r.map(top.get("tls_server_config"), "tls_server_config"));
        Map<String, String> users = new LinkedHashMap<>();
        if (top.get("basic_auth_users") != null) {
            for (var user : r.map(top.get("basic_auth_users"), "basic_auth_users").entrySet()) {
                String hash = r.string(user.getValue(), "basic_auth_users." + user.getKey());
                if (!hash.matches("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw r.error("basic_auth_users." + user.getKey(), "is not a bcrypt hash ($2y$10$...)");
                }
                users.put(user.getKey(), hash);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (top.get("http_server_config") != null) {
            Map<String, Object> http = r.map(top.get("http_server_config"), "http_server_config");
            r.known(http, HTTP_KEYS, "http_server_config.");
            if (http.get("http2") != null) {
                r.bool(http.get("http2"), "http_server_config.http2");
            }
            if (http.get("headers") != null) {
                headers.putAll(r.headers(r.map(http.get("headers"), "http_server_config.headers")));
            }
        }
        Optional<RateLimit> rateLimit = Optional.empty();
        if (top.get("rate_limit") != null) {
            Map<String, Object> rate = r.map(top.get("rate_limit"), "rate_limit");
            r.known(rate, RATE_KEYS, "rate_limit.");
            Duration interval = rate.get("interval") == null ? Duration.ZERO
                    : r.duration(rate.get("interval"), "rate_limit.interval");
            int burst = rate.get("burst") == null ? 0 : r.integer(rate.get("burst"), "rate_limit.burst");
            if (!interval.isZero()) {
                if (burst < 1) {
                    throw r.error("rate_limit.burst", "must be at least 1 when an interval is set");
                }
                rateLimit = Optional.of(new RateLimit(interval, burst));
            }
        }
        return new WebConfig(tls, Map.copyOf(users), Map.copyOf(headers), rateLimit);
    }

    public boolean requiresAuth() {
        return !basicAuthUsers.isEmpty();
    }

    private static Map<String, Set<String>> headerRules() {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        rules.put("Content-Security-Policy", null);
        rules.put("X-Frame-Options", Set.of("deny", "sameorigin"));
        rules.put("X-Content-Type-Options", Set.of("nosniff"));
        rules.put("X-XSS-Protection", null);
        rules.put("Strict-Transport-Security", null);
        return rules;
    }

    /** Typed access to the YAML tree with errors that name the file and the key path. */
    private record Reader(Path file) {
        WebConfigException error(String key, String problem) {
            return new WebConfigException(file + ": " + key + ": " + problem);
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object node, String key) throws WebConfigException {
            if (!(node instanceof Map<?, ?> map)) {
                throw error(key.isEmpty() ? "top level" : key, "must be a mapping");
            }
            for (Object k : map.keySet()) {
                if (!(k instanceof String)) {
                    throw error(key.isEmpty() ? "top level" : key, "key " + k + " is not a string");
                }
            }
            return (Map<String, Object>) map;
        }

        void known(Map<String, Object> map, Set<String> allowed, String prefix) throws WebConfigException {
            for (String k : map.keySet()) {
                if (!allowed.contains(k)) {
                    throw error(prefix + k, "unknown key (allowed: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
                }
            }
        }

        String string(Object node, String key) throws WebConfigException {
            if (!(node instanceof String s)) {
                throw error(key, "must be a string");
            }
            return s;
        }

        boolean bool(Object node, String key) throws WebConfigException {
            if (!(node instanceof Boolean b)) {
                throw error(key, "must be true or false");
            }
            return b;
        }

        int integer(Object node, String key) throws WebConfigException {
            if (!(node instanceof Integer i)) {
                throw error(key, "must be an integer");
            }
            return i;
        }

        List<String> strings(Object node, String key) throws WebConfigException {
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof List<?> list)) {
                throw error(key, "must be a list of strings");
            }
            for (Object item : list) {
                string(item, key);
            }
            return list.stream().map(String.class::cast).toList();
        }

        private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

        Duration duration(Object node, String key) throws WebConfigException {
            if (node instanceof Integer i && i == 0) {
                return Duration.ZERO;
            }
            String text = string(node, key);
            Matcher m = GO_DURATION.matcher(text);
            Duration total = Duration.ZERO;
            int at = 0;
            while (m.find() && m.start() == at) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
                at = m.end();
            }
            if (at == 0 || at != text.length()) {
                throw error(key, "\"" + text + "\" is not a duration like 1s, 500ms or 1m");
            }
            return total;
        }

        /** PEM from the inline key or from the file key, never both. */
        Optional<String> pem(Map<String, Object> tls, String inlineKey, String fileKey) throws WebConfigException {
            Object inline = tls.get(inlineKey);
            Object path = tls.get(fileKey);
            if (inline != null && path != null) {
                throw error("tls_server_config", "only one of " + inlineKey + " and " + fileKey + " may be set");
            }
            if (inline != null) {
                return Optional.of(string(inline, "tls_server_config." + inlineKey));
            }
            if (path == null || string(path, "tls_server_config." + fileKey).isEmpty()) {
                return Optional.empty();
            }
            Path resolved = file.toAbsolutePath().getParent().resolve((String) path);
            try {
                return Optional.of(Files.readString(resolved));
            } catch (IOException e) {
                throw error("tls_server_config." + fileKey, "cannot read " + resolved + ": " + e.getMessage());
            }
        }

        Optional<Tls> tls(Map<String, Object> tls) throws WebConfigException {
            known(tls, TLS_KEYS, "tls_server_config.");
            Optional<String> cert = pem(tls, "cert", "cert_file");
            Optional<String> key = pem(tls, "key", "key_file");
            Optional<String> clientCa = pem(tls, "client_ca", "client_ca_file");
            ClientAuth clientAuth = ClientAuth.NO_CLIENT_CERT;
            if (tls.get("client_auth_type") != null) {
                String name = string(tls.get("client_auth_type"), "tls_server_config.client_auth_type");
                clientAuth = null;
                for (ClientAuth candidate : ClientAuth.values()) {
                    if (candidate.yamlName.equals(name)) {
                        clientAuth = candidate;
                    }
                }
                if (clientAuth == null) {
                    throw error("tls_server_config.client_auth_type", "\"" + name + "\" is not one of NoClientCert, "
                            + "RequestClientCert, RequireAnyClientCert, VerifyClientCertIfGiven, RequireAndVerifyClientCert");
                }
            }
            List<String> sans = strings(tls.get("client_allowed_sans"), "tls_server_config.client_allowed_sans");
            boolean anything = cert.isPresent() || key.isPresent() || clientCa.isPresent() || !sans.isEmpty()
                    || clientAuth != ClientAuth.NO_CLIENT_CERT;
            if (!anything) {
                return Optional.empty(); // an empty tls_server_config means plain HTTP, as in the toolkit
            }
            if (cert.isEmpty()) {
                throw error("tls_server_config", "missing cert_file (or cert)");
            }
            if (key.isEmpty()) {
                throw error("tls_server_config", "missing key_file (or key)");
            }
            if (clientAuth.verify && clientCa.isEmpty()) {
                throw error("tls_server_config.client_ca_file", "is required with client_auth_type " + clientAuth.yamlName);
            }
            if (clientCa.isPresent() && !clientAuth.verify && clientAuth != ClientAuth.NO_CLIENT_CERT) {
                throw error("tls_server_config.client_ca_file", "is set but client_auth_type " + clientAuth.yamlName
                        + " does not verify client certificates");
            }
            if (!sans.isEmpty() && !clientAuth.need) {
                throw error("tls_server_config.client_allowed_sans",
                        "needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert");
            }
            String min = version(tls, "min_version", "TLS12");
            String max = version(tls, "max_version", "TLS13");
            if (VERSIONS.indexOf(min) > VERSIONS.indexOf(max)) {
                throw error("tls_server_config.min_version", min + " is above max_version " + max);
            }
            List<String> ciphers = strings(tls.get("cipher_suites"), "tls_server_config.cipher_suites");
            for (String cipher : ciphers) {
                TlsContexts.javaCipherName(cipher).orElseThrow(() ->
                        error("tls_server_config.cipher_suites", "unknown cipher suite " + cipher));
            }
            List<String> curves = strings(tls.get("curve_preferences"), "tls_server_config.curve_preferences");
            for (String curve : curves) {
                TlsContexts.javaGroupName(curve).orElseThrow(() ->
                        error("tls_server_config.curve_preferences", "unknown curve " + curve
                                + " (CurveP256, CurveP384, CurveP521, X25519)"));
            }
            boolean prefer = tls.get("prefer_server_cipher_suites") == null
                    || bool(tls.get("prefer_server_cipher_suites"), "tls_server_config.prefer_server_cipher_suites");
            return Optional.of(new Tls(cert.get(), key.get(), clientCa, clientAuth, sans, min, max, ciphers, prefer, curves));
        }

        private String version(Map<String, Object> tls, String key, String fallback) throws WebConfigException {
            if (tls.get(key) == null) {
                return fallback;
            }
            String value = string(tls.get(key), "tls_server_config." + key);
            if (!VERSIONS.contains(value)) {
                throw error("tls_server_config." + key, "\"" + value + "\" is not one of " + String.join(", ", VERSIONS));
            }
            return value;
        }

        Map<String, String> headers(Map<String, Object> headers) throws WebConfigException {
            Map<String, String> result = new LinkedHashMap<>();
            for (var header : headers.entrySet()) {
                String name = header.getKey();
                String canonical = HEADERS.keySet().stream().filter(h -> h.equalsIgnoreCase(name)).findFirst()
                        .orElseThrow(() -> error("http_server_config.headers." + name,
                                "is not a header that may be set (" + String.join(", ", HEADERS.keySet()) + ")"));
                String value = string(header.getValue(), "http_server_config.headers." + name);
                Set<String> allowed = HEADERS.get(canonical);
                if (allowed != null && !value.isEmpty() && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
                    throw error("http_server_config.headers." + name, "\"" + value + "\" is not one of "
                            + String.join(", ", allowed));
                }
                if (!value.isEmpty()) {
                    result.put(canonical, value);
                }
            }
            return result;
        }
    }
}
