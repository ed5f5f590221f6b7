package dev.ebpfexporter.http;

import dev.ebpfexporter.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS scrapes as Prometheus sends them: to an address, with a certificate that names the host, with or
 * without SNI, with a {@code server_name} that differs from the address; and every refused handshake
 * or plain request logged once with its reason.
 */
@Timeout(120)
class TlsByAddressTest {
    @TempDir
    Path dir;

    /** Trusts any certificate, as {@code curl -k} and {@code insecure_skip_verify} do. */
    private static final X509TrustManager ANY = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private WebServer tlsServer() throws Exception {
        TestServers.selfSignedFor(dir, "DNS:localhost");
        Files.writeString(dir.resolve("web.yml"), "tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n");
        return TestServers.start(WebConfig.load(dir.resolve("web.yml")));
    }

    private SSLContext trusting(boolean any) throws Exception {
        TrustManager[] trust;
        if (any) {
            trust = new TrustManager[]{ANY};
        } else {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("server", TlsContexts.certificates(Files.readString(dir.resolve("cert.pem")), "test")
                    .getFirst());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            trust = tmf.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, null);
        return context;
    }

    /**
     * GET /metrics over TLS to 127.0.0.1 with {@code sni} (none when null) and {@code host} as the Host
     * header; with {@code verifyAs} the certificate must be valid for that name (Prometheus' server_name).
     * Returns the status line.
     */
    private String get(WebServer server, SSLContext context, String sni, String host, String verifyAs) throws IOException {
        Socket plain = new Socket("127.0.0.1", server.port());
        plain.setSoTimeout(10_000);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain,
                verifyAs != null ? verifyAs : "127.0.0.1", server.port(), true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.<SNIServerName>of(new SNIHostName(sni)));
            if (verifyAs != null) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            socket.setSSLParameters(parameters);
            socket.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("");
        }
    }

    @Test
    void scrapesByAddressByNameWithAndWithoutSni() throws Exception {
        try (WebServer server = tlsServer()) {
            String address = "127.0.0.1:" + server.port();
            String name = "localhost:" + server.port();
            SSLContext any = trusting(true);
            SSLContext pinned = trusting(false);
            // curl -k https://127.0.0.1:PORT/metrics: no SNI (an address is never sent as SNI), Host is the address
            assertThat(get(server, any, null, address, null)).isEqualTo("HTTP/1.1 200 OK");
            // by name: SNI and Host are the name, the certificate checked against it
            assertThat(get(server, pinned, "localhost", name, "localhost")).isEqualTo("HTTP/1.1 200 OK");
            // by name without SNI
            assertThat(get(server, pinned, null, name, "localhost")).isEqualTo("HTTP/1.1 200 OK");
            // Prometheus with tls_config.server_name: SNI is the server name, Host the address it scrapes
            assertThat(get(server, pinned, "localhost", address, "localhost")).isEqualTo("HTTP/1.1 200 OK");
            // a server_name the certificate does not carry: the server answers; judging the name is the client's job
            assertThat(get(server, any, "scrape-target.example", address, null)).isEqualTo("HTTP/1.1 200 OK");
            assertThat(get(server, any, "scrape-target.example", "scrape-target.example", null))
                    .isEqualTo("HTTP/1.1 200 OK");
            // and a client that does check the name still refuses a certificate without it
            assertThatThrownBy(() -> get(server, pinned, null, address, "127.0.0.1")).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void eachRefusalIsLoggedOnceWithItsReason() throws Exception {
        try (LogCapture log = LogCapture.of(Refusals.class);
             WebServer server = tlsServer()) {
            SSLContext pinned = trusting(false);
            for (int i = 0; i < 3; i++) {
                // the client refuses the certificate for 127.0.0.1: the server sees the handshake fail
                assertThatThrownBy(() -> get(server, pinned, null, "127.0.0.1", "127.0.0.1")).isInstanceOf(SSLException.class);
                try (Socket socket = new Socket("127.0.0.1", server.port())) {
                    socket.setSoTimeout(10_000);
                    socket.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    socket.getInputStream().readAllBytes();
                }
            }
            // the handshake failure is reported by the server after the client has gone: wait for it
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (log.messages().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(300);
            assertThat(log.messages()).containsExactlyInAnyOrder(
                    "TLS handshake from 127.0.0.1 refused: (certificate_unknown) Received fatal alert: certificate_unknown (logged once per reason)",
                    "connection to the TLS port from 127.0.0.1 refused: plain HTTP: answered 400 Client sent an HTTP request to an HTTPS server (logged once per reason)");
        }
    }
}
