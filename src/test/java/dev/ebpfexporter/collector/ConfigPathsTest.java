package dev.ebpfexporter.collector;

import dev.ebpfexporter.testing.LogCapture;
import dev.ebpfexporter.config.ConfigException;
import dev.ebpfexporter.config.ConfigLoader;
import dev.ebpfexporter.testing.BpfAvailability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

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
        Path configs = timersIn("configs");
        Files.delete(configs.resolve("timers.bpf.o"));
        Files.createSymbolicLink(configs.resolve("timers.bpf.o"), BpfAvailability.examples().resolve("timers.bpf.o"));
        assertThatThrownBy(() -> new ConfigFiles().load(configs, "timers"))
                .hasMessage(configs.resolve("timers.bpf.o") + ": is a link that leaves the config directory " + configs);
    }

    @Test
    void linksInsideTheDirectoryStillWork() throws Exception {
        Path configs = timersIn("configs");
        Files.move(configs.resolve("timers.yaml"), configs.resolve("real.yaml"));
        Files.createSymbolicLink(configs.resolve("timers.yaml"), Path.of("real.yaml"));
        assertThat(new ConfigFiles().load(configs, "timers").configs()).hasSize(1);
    }

    @Test
    void aMisspeltConfigNameGetsADidYouMean() throws Exception {
        Path configs = timersIn("configs");
        Files.copy(configs.resolve("timers.yaml"), configs.resolve("biolatency.yaml"));
        assertThatThrownBy(() -> new ConfigFiles().load(configs, "timer"))
                .hasMessage("config timer: " + configs.resolve("timer.yaml") + " does not exist (did you mean \"timers\"?)");
        assertThatThrownBy(() -> new ConfigFiles().load(configs, "zzz"))
                .hasMessage("config zzz: " + configs.resolve("zzz.yaml") + " does not exist (expected one of: biolatency, timers)");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> new ConfigFiles().load(empty, "timers"))
                .hasMessage("config timers: " + empty.resolve("timers.yaml") + " does not exist (" + empty + " holds no .yaml configs)");
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
        Path configs = timersIn("configs");
        Files.setAttribute(configs, "unix:mode", 0777);
        Files.setAttribute(configs.resolve("timers.bpf.o"), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        assertThat(loggedWhile(() -> new ConfigFiles().load(configs, "timers"))).containsExactly(
                "config directory " + configs + ": is writable by others (mode 0777): any user who can write"
                        + " there chooses what root loads into the kernel",
                "BPF object " + configs.resolve("timers.bpf.o") + ": is owned by uid 65534, not by root: any user"
                        + " who can write there chooses what root loads into the kernel");
    }

    @Test
    void aConfigDirectoryReachedThroughALinkIsNotWarnedAbout() throws Exception {
        Path configs = Files.createSymbolicLink(dir.resolve("configs"), timersIn("real"));
        assertThat(loggedWhile(() -> assertThat(new ConfigFiles().load(configs, "timers").configs()).hasSize(1)))
                .isEmpty();
    }

    /** A new directory dir/name holding a copy of examples/timers.yaml and timers.bpf.o. */
    private Path timersIn(String name) throws IOException {
        Path configs = Files.createDirectory(dir.resolve(name));
        for (String file : List.of("timers.yaml", "timers.bpf.o")) {
            Files.copy(BpfAvailability.examples().resolve(file), configs.resolve(file));
        }
        return configs;
    }

    /** The messages ConfigFiles logs while load runs. */
    private static List<String> loggedWhile(Callable<?> load) throws Exception {
        try (LogCapture log = LogCapture.of(ConfigFiles.class)) {
            load.call();
            return log.messages();
        }
    }
}
