package dev.ebpfexporter.otlp;

import dev.ebpfexporter.platform.Architecture;
import dev.ebpfexporter.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * What the push's resource has where {@code OTEL_RESOURCE_ATTRIBUTES} and {@code OTEL_SERVICE_NAME}
 * set nothing: {@code service.name=ebpf_exporter} instead of the SDK's {@code unknown_service:java},
 * and the host: {@code host.name} (the kernel's hostname, as {@code uname -n} says it),
 * {@code host.arch} and {@code os.type} in the OpenTelemetry semantic conventions' values.
 */
final class ResourceDefaults {
    static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    static final AttributeKey<String> HOST_NAME = AttributeKey.stringKey("host.name");
    static final AttributeKey<String> HOST_ARCH = AttributeKey.stringKey("host.arch");
    static final AttributeKey<String> OS_TYPE = AttributeKey.stringKey("os.type");

    private ResourceDefaults() {
    }

    static Resource addMissing(Resource resource, Path kernelHostname) {
        resource = Tracing.withDefaultServiceName(resource);
        AttributesBuilder added = Attributes.builder();
        if (resource.getAttribute(HOST_NAME) == null) {
            hostname(kernelHostname).ifPresent(name -> added.put(HOST_NAME, name));
        }
        if (resource.getAttribute(HOST_ARCH) == null) {
            added.put(HOST_ARCH, Architecture.current().hostArch());
        }
        if (resource.getAttribute(OS_TYPE) == null) {
            added.put(OS_TYPE, System.getProperty("os.name", "").toLowerCase(Locale.ROOT).replace(" ", ""));
        }
        return resource.merge(Resource.create(added.build()));
    }

    /** {@code /proc/sys/kernel/hostname}: the name without a DNS lookup. */
    static Optional<String> hostname(Path kernelHostname) {
        try {
            String name = Files.readString(kernelHostname).trim();
            return name.isEmpty() ? Optional.empty() : Optional.of(name);
        } catch (IOException e) {
            return Optional.empty(); // no hostname file: the attribute is left out, nothing to report
        }
    }
}
