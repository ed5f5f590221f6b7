package dev.ebpfexporter.bcc;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ebpfexporter.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code cflags} go to clang running as root: only the flags BCC programs need get there. */
class CompilerFlagsTest {
    private static final String ALLOWED = "only -D, -U, -I (inside the config directory), -W, -O and -std= are accepted";

    @TempDir
    Path dir;

    private ProgramSource program(String code, List<String> cflags) {
        return new ProgramSource(dir.resolve("p.yaml"), "p", code, 8,
                List.of(new AttachPoint("f", "raw_tp/sys_enter", 1)), List.of(), cflags);
    }

    private static final String CODE = "// " + System.nanoTime() + "\nint f(void *ctx) { return FLAG_VALUE; }\n";

    @ParameterizedTest
    @ValueSource(strings = {"-fplugin=/tmp/x.so", "-Xclang", "-load", "@/tmp/args", "-o", "/tmp/out", "--sysroot=/tmp",
            "-B/tmp", "-Wl,-rpath,/tmp", "-Wp,-load", "-Wa,--defsym", "-fpass-plugin=/tmp/x.so", "-include",
            "-I", "-isystem/tmp", "--config=/tmp/c.cfg", "-mllvm"})
    void flagsThatCouldRunOrReadSomethingElseAreRefusedByName(String flag) {
        assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(CODE, List.of("-DFLAG_VALUE=0", flag))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("p.yaml") + ": program \"p\": cflags: \"" + flag + "\" is not allowed: " + ALLOWED);
    }

    @Test
    void includeDirectoriesOutsideTheConfigDirectoryAreRefused() {
        assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(CODE, List.of("-I/etc"))))
                .hasMessage(dir.resolve("p.yaml") + ": program \"p\": cflags: \"-I/etc\" is outside the config directory " + dir);
        assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(CODE, List.of("-I../.."))))
                .hasMessage(dir.resolve("p.yaml") + ": program \"p\": cflags: \"-I../..\" is outside the config directory " + dir);
    }

    @Test
    void anIncludeDirectoryLinkedOutOfTheConfigDirectoryIsRefused() throws Exception {
        Files.createSymbolicLink(dir.resolve("inc"), Path.of("/etc"));
        assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(CODE, List.of("-Iinc"))))
                .hasMessage(dir.resolve("p.yaml") + ": program \"p\": cflags: \"-Iinc\" is outside the config directory " + dir);
    }

    @Test
    void anIncludeDirectoryIsResolvedLinkFirstAsTheKernelDoes() throws Exception {
        // inc-link/.. is /etc/.. = / for the kernel and clang; dropping ".." first would say the config directory.
        Files.createSymbolicLink(dir.resolve("inc-link"), Path.of("/etc"));
        assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(CODE, List.of("-Iinc-link/.."))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("p.yaml") + ": program \"p\": cflags: \"-Iinc-link/..\" is outside the config directory " + dir);
    }

    @Test
    void anIncludeDirectoryThatDoesNotExistIsRefused() {
        // Created later, it could be a link to anywhere: only what exists when it is checked is given to clang.
        assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(CODE, List.of("-DFLAG_VALUE=0", "-Imissing"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir.resolve("p.yaml") + ": program \"p\": cflags: \"-Imissing\" does not exist");
    }

    @Test
    void clangIsGivenTheIncludeDirectoryThatWasChecked() throws Exception {
        Files.createDirectories(dir.resolve("real/include"));
        Files.createSymbolicLink(dir.resolve("inc"), dir.resolve("real/include"));
        ProgramSource source = program(CODE, List.of("-DFLAG_VALUE=0", "-Iinc/../include", "-O2"));
        assertThat(CompilerFlags.check(source))
                .containsExactly("-DFLAG_VALUE=0", "-I" + dir.resolve("real/include").toRealPath(), "-O2");
    }

    @Test
    void theFlagsBccProgramsUseStillCompile() throws Exception {
        Files.createDirectory(dir.resolve("include"));
        Files.writeString(dir.resolve("include/value.h"), "#define OTHER_VALUE 0\n");
        BccCompiler.Compiled compiled = TestCompilers.compiler().compileDetailed(program(
                "#include \"value.h\"\n" + CODE + "int g(void *ctx) { return OTHER_VALUE; }\n",
                List.of("-DFLAG_VALUE=0", "-UNOT_DEFINED", "-Iinclude", "-I" + dir.resolve("include"), "-Wno-unused-value",
                        "-Wall", "-O2", "-std=gnu11")));
        assertThat(compiled.objectFile()).exists();
    }

    @Test
    void clangNeverQuotesTheLinesOfAnIncludedFileIntoTheLogOrTheError() throws Exception {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$SECRETHASHSECRETHASH:19000:0:99999:7:::\n");
        Logger logger = (Logger) LoggerFactory.getLogger(BccCompiler.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertThatThrownBy(() -> TestCompilers.compiler().compileDetailed(program(
                    "#include \"" + secret + "\"\n" + CODE, List.of("-DFLAG_VALUE=0"))))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage(dir.resolve("p.yaml") + ": program \"p\": clang failed in included file " + secret
                            + ":1 (its text is not shown)")
                    .message().doesNotContain("SECRET");
            assertThat(appender.list).isNotEmpty().extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(m -> m.contains("SECRET") || m.contains("19000"));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }
}
