/** ebpf-exporter: loads eBPF programs with libbpf (through FFM) and exports their maps to Prometheus. */
module dev.ebpfexporter {
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.metrics.config;
    requires io.prometheus.metrics.instrumentation.jvm;
    requires info.picocli;
    requires org.snakeyaml.engine.v2;
    requires re2j;
    requires org.tukaani.xz;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;
    requires ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    requires bcrypt;
    requires io.opentelemetry.api;
    requires io.opentelemetry.context;
    requires io.opentelemetry.sdk.common;
    requires io.opentelemetry.sdk.trace;
    requires io.opentelemetry.sdk.metrics;
    requires io.opentelemetry.exporter.otlp;
    requires io.opentelemetry.sdk;
    requires io.opentelemetry.sdk.autoconfigure;
    requires io.opentelemetry.sdk.autoconfigure.spi;
    requires java.logging; // the OpenTelemetry SDK logs through it, bridged into ours (cli.JulBridge)
    requires java.management; // the web view measures its own CPU time per sample
    requires java.net.http; // the OTLP exporter's JDK sender (opentelemetry-exporter-sender-jdk)
    requires jdk.unsupported; // sun.misc.Signal: SIGHUP reloads the configs; SIGTERM and SIGINT end in our own shutdown (cli.StopSignals)

    opens dev.ebpfexporter.cli to info.picocli;

    exports dev.ebpfexporter.config;
    exports dev.ebpfexporter.decoder;
    exports dev.ebpfexporter.bcc;
}
