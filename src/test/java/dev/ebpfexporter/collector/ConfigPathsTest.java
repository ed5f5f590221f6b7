package dev.ebpfexporter.collector;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ConfigLoader;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configs load from inside --config.dir only, and errors never print another file's contents. */
class ConfigPathsTest {
    private static final String SHADOW = "root:$6$SECRETSALT$SECRETHASHSECRETHASH:19000:0:99999:7:::\n"
            + "daemon:*:19000:0:99999:7:::\n";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"../x", "/etc/shadow", "..", ".", "sub/timers", "a\\b"})
    void namesArePlainNames(String name) {
        assertThatThrownBy(() -> ConfigLoader.parseNames("timers," + name))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config.names: \"" + name.replace("\\", "\\\\")
                        + "\" is not a plain name (names have no / or \\ and are not . or ..)");
    }

    @Test
    void aConfigLinkedFromOutsideTheDirectoryIsRefused() throws Exception {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("shadow"), SHADOW);
        Path configs = Files.createDirectory(dir.resolve("configs"));
        Files.createSymbolicLink(configs.resolve("evil.yaml"), secret);
        assertThatThrownBy(() -> new ConfigFiles().load(configs, "evil"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(configs.resolve("evil.yaml") + ": is a link that leaves the config directory " + configs)
                .message().doesNotContain("SECRET");
    }

    @Test
    void anObjectLinkedFromOutsideTheDirectoryIsRefused() throws Exception {
        Path examples = BpfAvailability.examples();
        Path configs = Files.createDirectory(dir.resolve("configs"));
        Files.copy(examples.resolve("timers.yaml"), configs.resolve("timers.yaml"));
        Files.createSymbolicLink(configs.resolve("timers.bpf.o"), examples.resolve("timers.bpf.o"));
        assertThatThrownBy(() -> new ConfigFiles().load(configs, "timers"))
                .hasMessage(configs.resolve("timers.bpf.o") + ": is a link that leaves the config directory " + configs);
    }

    @Test
    void linksInsideTheDirectoryStillWork() throws Exception {
        Path examples = BpfAvailability.examples();
        Path configs = Files.createDirectory(dir.resolve("configs"));
        Files.copy(examples.resolve("timers.yaml"), configs.resolve("real.yaml"));
        Files.copy(examples.resolve("timers.bpf.o"), configs.resolve("timers.bpf.o"));
        Files.createSymbolicLink(configs.resolve("timers.yaml"), Path.of("real.yaml"));
        assertThat(new ConfigFiles().load(configs, "timers").configs()).hasSize(1);
    }

    @Test
    void aYamlErrorNeverQuotesMoreThanAShortExcerpt() throws Exception {
        Files.writeString(dir.resolve("shadow.yaml"), SHADOW);
        assertThatThrownBy(() -> new ConfigFiles().load(dir, "shadow"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("shadow.yaml") + ":1: root:$6$SECRETSALT$SECRE...: unknown key"
                        + " \"root:$6$SECRETSALT$SECRE...\" (expected one of: cgroup_id_map, kaddrs, metrics, name, tracing)")
                .message().doesNotContain("SECRETHASH", "daemon");
        Files.writeString(dir.resolve("text.yaml"), "root$6$SECRETSALT$SECRETHASHSECRETHASH\n");
        assertThatThrownBy(() -> new ConfigFiles().load(dir, "text"))
                .hasMessage(dir.resolve("text.yaml") + ":1: expected a map at the top level, got \"root$6$SECRETSALT$SECRET...\"");
        Files.writeString(dir.resolve("long.yaml"), "metrics:\n  counters:\n    - name: " + SHADOW.strip().replace("\n", " ") + "\n      help: x\n");
        assertThatThrownBy(() -> new ConfigFiles().load(dir, "long"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRETHASH").hasSizeLessThan(300));
    }

    @Test
    void aConfigDirectoryOrObjectOthersCanWriteIsWarnedAboutLoudly() throws Exception {
        Path examples = BpfAvailability.examples();
        Path configs = Files.createDirectory(dir.resolve("configs"));
        Files.setAttribute(configs, "unix:mode", 0777);
        Files.copy(examples.resolve("timers.yaml"), configs.resolve("timers.yaml"));
        Files.copy(examples.resolve("timers.bpf.o"), configs.resolve("timers.bpf.o"));
        Files.setAttribute(configs.resolve("timers.bpf.o"), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigFiles.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            new ConfigFiles().load(configs, "timers");
            List<String> warnings = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).containsExactly(
                    "config directory " + configs + ": is writable by others (mode 0777): any user who can write"
                            + " there chooses what root loads into the kernel",
                    "BPF object " + configs.resolve("timers.bpf.o") + ": is owned by uid 65534, not by root: any user"
                            + " who can write there chooses what root loads into the kernel");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void aConfigDirectoryReachedThroughALinkIsNotWarnedAbout() throws Exception {
        Path examples = BpfAvailability.examples();
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.copy(examples.resolve("timers.yaml"), real.resolve("timers.yaml"));
        Files.copy(examples.resolve("timers.bpf.o"), real.resolve("timers.bpf.o"));
        Path configs = Files.createSymbolicLink(dir.resolve("configs"), real);
        Logger logger = (Logger) LoggerFactory.getLogger(ConfigFiles.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertThat(new ConfigFiles().load(configs, "timers").configs()).hasSize(1);
            assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        } finally {
            logger.detachAppender(appender);
        }
    }
}
