package dev.ebpfexporter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebConfigTest {
    private static final String HASH = "$2y$10$X0h1gDsPszWURQaxFh.zoubFi6DXncSjhoQNJgRrnGs7EsimhC7zG";

    @TempDir
    Path dir;

    private WebConfig load(String yaml) throws Exception {
        Path file = dir.resolve("web.yml");
        Files.writeString(file, yaml);
        return WebConfig.load(file);
    }

    @Test
    void readsTheToolkitFormatWithFilesRelativeToTheConfig() throws Exception {
        TestServers.selfSigned(dir, "ec-pkcs8");
        WebConfig web = load("""
                tls_server_config:
                  cert_file: cert.pem
                  key_file: key.pem
                  min_version: TLS13
                http_server_config:
                  http2: false
                  headers:
                    X-Frame-Options: deny
                basic_auth_users:
                  alice: %s
                rate_limit:
                  interval: 1s
                  burst: 20
                """.formatted(HASH));
        assertThat(web.tls()).hasValueSatisfying(tls -> {
            assertThat(tls.certPem()).contains("BEGIN CERTIFICATE");
            assertThat(tls.minVersion()).isEqualTo("TLS13");
            assertThat(tls.clientAuth()).isEqualTo(WebConfig.ClientAuth.NO_CLIENT_CERT);
        });
        assertThat(web.basicAuthUsers()).containsEntry("alice", HASH);
        assertThat(web.headers()).containsEntry("X-Frame-Options", "deny");
        assertThat(web.rateLimit()).contains(new WebConfig.RateLimit(Duration.ofSeconds(1), 20));
    }

    @Test
    void emptyFileAndEmptyTlsSectionMeanPlainHttp() throws Exception {
        assertThat(load("")).isEqualTo(WebConfig.NONE);
        assertThat(load("tls_server_config: {}\n").tls()).isEmpty();
    }

    @Test
    void unknownKeysAreErrorsNamingTheKey() {
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_fil: x\n"))
                .isInstanceOf(WebConfigException.class).hasMessageContaining("tls_server_config.cert_fil: unknown key")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> load("basic_auth_user:\n  a: b\n"))
                .hasMessageContaining("basic_auth_user: unknown key");
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> load("basic_auth_users:\n  alice: plaintext\n"))
                .hasMessageContaining("basic_auth_users.alice: is not a bcrypt hash");
        assertThatThrownBy(() -> load("tls_server_config:\n  cert_file: missing.pem\n  key_file: missing.pem\n"))
                .hasMessageEndingWith("tls_server_config.cert_file: cannot read " + dir.toAbsolutePath().resolve("missing.pem")
                        + ": no such file");
        assertThatThrownBy(() -> load("tls_server_config:\n  key_file: k.pem\n"))
                .isInstanceOf(WebConfigException.class);
        assertThatThrownBy(() -> load("tls_server_config:\n  cert: x\n  key: y\n  min_version: TLS14\n"))
                .hasMessageContaining("min_version");
        assertThatThrownBy(() -> load("tls_server_config:\n  cert: x\n  key: y\n  client_auth_type: RequireAndVerifyClientCert\n"))
                .hasMessageContaining("client_ca_file: is required");
        assertThatThrownBy(() -> load("http_server_config:\n  headers:\n    X-Frame-Options: allow\n"))
                .hasMessageContaining("X-Frame-Options");
        assertThatThrownBy(() -> load("http_server_config:\n  headers:\n    Server: x\n"))
                .hasMessageContaining("is not a header that may be set");
        assertThatThrownBy(() -> load("- a\n- b\n")).hasMessageEndingWith("web.yml:1: expected a map at the top level, got a list");
        assertThatThrownBy(() -> load("a: [\n")).hasMessageContaining("invalid YAML").hasMessageNotContaining("\n");
    }

    @Test
    void acceptsWhatTheToolkitAccepts() throws Exception {
        // Go's time.ParseDuration for rate_limit.interval (an integer is nanoseconds), YAML 1.1 booleans
        assertThat(load("rate_limit: {interval: 1.5s, burst: 1}\n").rateLimit())
                .contains(new WebConfig.RateLimit(Duration.ofMillis(1500), 1));
        assertThat(load("rate_limit: {interval: 100us, burst: 1}\n").rateLimit())
                .contains(new WebConfig.RateLimit(Duration.ofNanos(100_000), 1));
        assertThat(load("rate_limit: {interval: 1m30s, burst: 1}\n").rateLimit())
                .contains(new WebConfig.RateLimit(Duration.ofSeconds(90), 1));
        assertThat(load("rate_limit: {interval: 2000000, burst: 1}\n").rateLimit())
                .contains(new WebConfig.RateLimit(Duration.ofMillis(2), 1));
        assertThat(load("rate_limit: {interval: 0, burst: 0}\n").rateLimit()).isEmpty();
        assertThat(load("http_server_config:\n  http2: yes\n")).isEqualTo(WebConfig.NONE);
    }

    @Test
    void errorsNameTheLineAndSuggestTheKey() {
        assertThatThrownBy(() -> load("# web\ntls_server_config:\n  cert_fil: x\n"))
                .hasMessage(dir.resolve("web.yml") + ":3: tls_server_config.cert_fil: unknown key \"cert_fil\""
                        + " (did you mean \"cert_file\"?)");
        assertThatThrownBy(() -> load("rate_limit:\n  interval: 1 sec\n  burst: 1\n"))
                .hasMessage(dir.resolve("web.yml") + ":2: rate_limit.interval: expected a duration like \"30s\" or"
                        + " \"1m30s\", got \"1 sec\"");
        assertThatThrownBy(() -> load("tls_server_config:\n  cert: x\n  key: y\n  client_auth_type: RequireAnyClientCrt\n"))
                .hasMessage(dir.resolve("web.yml") + ":4: tls_server_config.client_auth_type: unknown client_auth_type"
                        + " \"RequireAnyClientCrt\" (did you mean \"RequireAnyClientCert\"?)");
        assertThatThrownBy(() -> load("rate_limit:\n  interval: -1s\n  burst: 1\n"))
                .hasMessage(dir.resolve("web.yml") + ":2: rate_limit.interval: must not be negative");
    }

    @Test
    void keysThatDoNotMatchTheCertificateAreRejected() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other"));
        TestServers.selfSigned(dir, "ec-pkcs8");
        TestServers.selfSigned(other, "ec-pkcs8");
        WebConfig web = load("tls_server_config:\n  cert_file: cert.pem\n  key_file: other/key.pem\n");
        assertThatThrownBy(() -> TlsContexts.context(web.tls().orElseThrow()))
                .hasMessageContaining("does not match the certificate");
    }

    @Test
    void readsPkcs1RsaAndSec1EcKeys() throws Exception {
        for (String kind : new String[]{"rsa-pkcs1", "ec-sec1", "ec-pkcs8"}) {
            Path sub = Files.createDirectory(dir.resolve(kind));
            TestServers.selfSigned(sub, kind);
            String pem = Files.readString(sub.resolve("key.pem"));
            assertThat(TlsContexts.privateKey(pem).getAlgorithm()).as(kind).isIn("RSA", "EC");
            WebConfig web = load("tls_server_config:\n  cert_file: %s/cert.pem\n  key_file: %s/key.pem\n".formatted(kind, kind));
            assertThat(TlsContexts.context(web.tls().orElseThrow())).isNotNull();
        }
    }
}
