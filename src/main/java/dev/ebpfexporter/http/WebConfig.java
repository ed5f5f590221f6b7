package dev.ebpfexporter.http;

import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.DidYouMean;
import dev.ebpfexporter.config.YamlDocument;
import dev.ebpfexporter.config.YamlMap;
import dev.ebpfexporter.config.YamlNode;

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
        NO_CLIENT_CERT("NoClientCert"),
        REQUEST_CLIENT_CERT("RequestClientCert"),
        REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert"),
        VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven"),
        REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert");

        final String yamlName;

        ClientAuth(String yamlName) {
            this.yamlName = yamlName;
        }

        /** A certificate is asked for but optional. */
        boolean want() {
            return this == REQUEST_CLIENT_CERT || this == VERIFY_CLIENT_CERT_IF_GIVEN;
        }

        /** A certificate is required. */
        boolean need() {
            return this == REQUIRE_ANY_CLIENT_CERT || this == REQUIRE_AND_VERIFY_CLIENT_CERT;
        }

        /** A given certificate must chain to the client CA. */
        boolean verify() {
            return this == VERIFY_CLIENT_CERT_IF_GIVEN || this == REQUIRE_AND_VERIFY_CLIENT_CERT;
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
    private static final List<String> CLIENT_AUTH_NAMES = java.util.Arrays.stream(ClientAuth.values())
            .map(c -> c.yamlName).toList();

    /** Reads and validates {@code file}; the exception's message is one line naming the file, line and key. */
    public static WebConfig load(Path file) throws WebConfigException {
        try {
            return read(file, YamlDocument.read(file));
        } catch (ConfigException e) {
            throw new WebConfigException(e.getMessage(), e);
        }
    }

    /** Parses {@code text} as the contents of {@code file} (relative key and cert files resolve beside it). */
    static WebConfig parse(Path file, String text) throws WebConfigException {
        try {
            return read(file, YamlDocument.compose(file, text));
        } catch (ConfigException e) {
            throw new WebConfigException(e.getMessage(), e);
        }
    }

    private static WebConfig read(Path file, Optional<YamlNode> root) throws ConfigException {
        if (root.isEmpty()) {
            return NONE;
        }
        if (!root.get().isMap()) {
            throw root.get().error("expected a map at the top level, got " + root.get().describe());
        }
        YamlMap top = root.get().asMap().allowOnly(TOP);
        Optional<Tls> tls = top.get("tls_server_config").isEmpty() ? Optional.empty()
                : tls(file, top.get("tls_server_config").get().asMap().allowOnly(TLS_KEYS));
        Map<String, String> users = new LinkedHashMap<>();
        if (top.get("basic_auth_users").isPresent()) {
            YamlMap userMap = top.get("basic_auth_users").get().asMap();
            for (String user : userMap.keys()) {
                YamlNode hashNode = userMap.require(user);
                String hash = hashNode.asString();
                if (!hash.matches("\\$2[abxy]?\\$\\d\\d\\$[./A-Za-z0-9]{53}")) {
                    throw hashNode.error("is not a bcrypt hash ($2y$10$...)");
                }
                users.put(user, hash);
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (top.get("http_server_config").isPresent()) {
            YamlMap http = top.get("http_server_config").get().asMap().allowOnly(HTTP_KEYS);
            if (http.get("http2").isPresent()) {
                http.get("http2").get().asBoolean();
            }
            if (http.get("headers").isPresent()) {
                headers.putAll(headers(http.get("headers").get().asMap()));
            }
        }
        Optional<RateLimit> rateLimit = Optional.empty();
        if (top.get("rate_limit").isPresent()) {
            YamlMap rate = top.get("rate_limit").get().asMap().allowOnly(RATE_KEYS);
            Duration interval = Duration.ZERO;
            if (rate.get("interval").isPresent()) {
                YamlNode intervalNode = rate.get("interval").get();
                interval = intervalNode.asDuration();
                if (interval.isNegative()) {
                    throw intervalNode.error("must not be negative");
                }
            }
            int burst = rate.get("burst").isPresent() ? rate.get("burst").get().asInt() : 0;
            if (!interval.isZero()) {
                if (burst < 1) {
                    throw rate.missing("burst", "must be at least 1 when an interval is set");
                }
                rateLimit = Optional.of(new RateLimit(interval, burst));
            }
        }
        return new WebConfig(tls, Map.copyOf(users), Map.copyOf(headers), rateLimit);
    }

    /** PEM from the inline key or from the file key, never both. */
    private static Optional<String> pem(Path file, YamlMap tls, String inlineKey, String fileKey) throws ConfigException {
        Optional<YamlNode> inline = tls.get(inlineKey);
        Optional<YamlNode> path = tls.get(fileKey);
        if (inline.isPresent() && path.isPresent()) {
            throw tls.node().error("only one of " + inlineKey + " and " + fileKey + " may be set");
        }
        if (inline.isPresent()) {
            return Optional.of(inline.get().asString());
        }
        if (path.isEmpty() || path.get().asString().isEmpty()) {
            return Optional.empty();
        }
        Path resolved = file.toAbsolutePath().getParent().resolve(path.get().asString());
        try {
            return Optional.of(Files.readString(resolved));
        } catch (IOException e) {
            throw path.get().error("cannot read " + resolved + ": " + IoReasons.of(e));
        }
    }

    private static Optional<Tls> tls(Path file, YamlMap tls) throws ConfigException {
        Optional<String> cert = pem(file, tls, "cert", "cert_file");
        Optional<String> key = pem(file, tls, "key", "key_file");
        Optional<String> clientCa = pem(file, tls, "client_ca", "client_ca_file");
        ClientAuth clientAuth = ClientAuth.NO_CLIENT_CERT;
        if (tls.get("client_auth_type").isPresent()) {
            String name = tls.get("client_auth_type").get().asOneOf("client_auth_type", CLIENT_AUTH_NAMES);
            clientAuth = java.util.Arrays.stream(ClientAuth.values()).filter(c -> c.yamlName.equals(name)).findFirst()
                    .orElseThrow();
        }
        List<String> sans = tls.get("client_allowed_sans").isPresent()
                ? tls.get("client_allowed_sans").get().asStrings() : List.of();
        boolean anything = cert.isPresent() || key.isPresent() || clientCa.isPresent() || !sans.isEmpty()
                || clientAuth != ClientAuth.NO_CLIENT_CERT;
        if (!anything) {
            return Optional.empty(); // an empty tls_server_config means plain HTTP, as in the toolkit
        }
        if (cert.isEmpty()) {
            throw tls.node().error("missing cert_file (or cert)");
        }
        if (key.isEmpty()) {
            throw tls.node().error("missing key_file (or key)");
        }
        if (clientAuth.verify() && clientCa.isEmpty()) {
            throw tls.missing("client_ca_file", "is required with client_auth_type " + clientAuth.yamlName);
        }
        if (clientCa.isPresent() && !clientAuth.verify() && clientAuth != ClientAuth.NO_CLIENT_CERT) {
            throw tls.missing("client_ca_file", "is set but client_auth_type " + clientAuth.yamlName
                    + " does not verify client certificates");
        }
        if (!sans.isEmpty() && !clientAuth.need()) {
            throw tls.missing("client_allowed_sans",
                    "needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert");
        }
        String min = version(tls, "min_version", "TLS12");
        String max = version(tls, "max_version", "TLS13");
        if (VERSIONS.indexOf(min) > VERSIONS.indexOf(max)) {
            throw tls.get("min_version").orElse(tls.node()).error(min + " is above max_version " + max);
        }
        List<String> ciphers = List.of();
        if (tls.get("cipher_suites").isPresent()) {
            ciphers = tls.get("cipher_suites").get().asStrings();
            for (String cipher : ciphers) {
                if (TlsContexts.javaCipherName(cipher).isEmpty()) {
                    throw tls.get("cipher_suites").get().error("unknown cipher suite " + cipher);
                }
            }
        }
        List<String> curves = List.of();
        if (tls.get("curve_preferences").isPresent()) {
            curves = tls.get("curve_preferences").get().asStrings();
            for (String curve : curves) {
                if (TlsContexts.javaGroupName(curve).isEmpty()) {
                    throw tls.get("curve_preferences").get().error("unknown curve " + curve
                            + " (CurveP256, CurveP384, CurveP521, X25519)");
                }
            }
        }
        boolean prefer = tls.get("prefer_server_cipher_suites").isEmpty()
                || tls.get("prefer_server_cipher_suites").get().asBoolean();
        return Optional.of(new Tls(cert.get(), key.get(), clientCa, clientAuth, sans, min, max, ciphers, prefer, curves));
    }

    private static String version(YamlMap tls, String key, String fallback) throws ConfigException {
        return tls.get(key).isPresent() ? tls.get(key).get().asOneOf("TLS version", VERSIONS) : fallback;
    }

    private static Map<String, String> headers(YamlMap headers) throws ConfigException {
        Map<String, String> result = new LinkedHashMap<>();
        for (String name : headers.keys()) {
            YamlNode valueNode = headers.require(name);
            String canonical = HEADERS.keySet().stream().filter(h -> h.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> valueNode.error("is not a header that may be set"
                            + DidYouMean.suggest(name, HEADERS.keySet())));
            String value = valueNode.asString();
            Set<String> allowed = HEADERS.get(canonical);
            if (allowed != null && !value.isEmpty() && !allowed.contains(value.toLowerCase(Locale.ROOT))) {
                throw valueNode.error(YamlNode.quote(value) + " is not one of " + String.join(", ", allowed));
            }
            if (!value.isEmpty()) {
                result.put(canonical, value);
            }
        }
        return result;
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
}
