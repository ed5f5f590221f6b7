package dev.ebpfexporter.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A TLS version the Java runtime will not serve is refused, not accepted and silently ignored. */
class TlsVersionsTest {
    @TempDir
    Path dir;

    @Test
    void minVersionTls10IsRefusedWithTheReason() throws Exception {
        TestServers.selfSigned(dir, "ec-pkcs8");
        Files.writeString(dir.resolve("web.yml"),
                "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  min_version: TLS10\n");
        WebConfig web = WebConfig.load(dir.resolve("web.yml"));
        assertThatThrownBy(() -> TestServers.start(web).close())
                .isInstanceOf(WebConfigException.class)
                .hasMessage("tls_server_config.min_version: TLS10 (TLSv1) is disabled in this Java runtime"
                        + " (jdk.tls.disabledAlgorithms), the lowest version it serves is TLS12: set min_version to"
                        + " TLS12 or above");
    }

    @Test
    void tls11IsRefusedToo() throws Exception {
        TestServers.selfSigned(dir, "ec-pkcs8");
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                + "  min_version: TLS12\n  max_version: TLS13\n");
        TestServers.start(WebConfig.load(dir.resolve("web.yml"))).close();
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                + "  min_version: TLS11\n  max_version: TLS11\n");
        WebConfig web = WebConfig.load(dir.resolve("web.yml"));
        assertThatThrownBy(() -> TestServers.start(web).close())
                .hasMessageStartingWith("tls_server_config.min_version: TLS11 (TLSv1.1) is disabled in this Java runtime");
    }
}
