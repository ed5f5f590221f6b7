package dev.ebpfexporter.otlp;

import dev.ebpfexporter.platform.Architecture;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceDefaultsTest {
    @Test
    void serviceNameIsTheExportersUnlessTheEnvironmentNamedOne(@TempDir Path dir) {
        Path none = dir.resolve("none");
        assertThat(ResourceDefaults.addMissing(Resource.getDefault(), none)
                .getAttribute(ResourceDefaults.SERVICE_NAME)).isEqualTo("ebpf_exporter");
        Resource named = Resource.getDefault().merge(Resource.create(Attributes.builder().put("service.name", "disk").build()));
        assertThat(ResourceDefaults.addMissing(named, none).getAttribute(ResourceDefaults.SERVICE_NAME))
                .isEqualTo("disk");
    }

    @Test
    void addsHostNameArchAndOsTypeWhereTheEnvironmentDidNotSetThem(@TempDir Path dir) throws Exception {
        Path hostname = Files.writeString(dir.resolve("hostname"), "node-7\n");
        Resource resource = ResourceDefaults.addMissing(Resource.create(Attributes.builder().put("service.name", "s").build()),
                hostname);
        assertThat(resource.getAttribute(ResourceDefaults.HOST_NAME)).isEqualTo("node-7");
        assertThat(resource.getAttribute(ResourceDefaults.HOST_ARCH)).isEqualTo(Architecture.current().hostArch());
        assertThat(resource.getAttribute(ResourceDefaults.OS_TYPE)).isEqualTo("linux");
        assertThat(resource.getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name"))).isEqualTo("s");
    }

    @Test
    void keepsWhatTheEnvironmentSet(@TempDir Path dir) throws Exception {
        Path hostname = Files.writeString(dir.resolve("hostname"), "node-7\n");
        Resource set = Resource.create(Attributes.builder().put("service.name", "s").put("host.name", "mine").put("host.arch", "s390x")
                .put("os.type", "plan9").build());
        Resource resource = ResourceDefaults.addMissing(set, hostname);
        assertThat(resource.getAttributes()).isEqualTo(set.getAttributes());
    }

    @Test
    void noHostNameWhenTheKernelFileCannotBeRead(@TempDir Path dir) {
        assertThat(ResourceDefaults.addMissing(Resource.empty(), dir.resolve("missing")).getAttribute(ResourceDefaults.HOST_NAME))
                .isNull();
    }
}
